/** Merges messages into a list ordered by seq, without duplicates (a later copy of a seq wins). */
export function mergeBySeq<M extends { seq: number }>(list: M[], incoming: M[]): M[] {
  if (incoming.length === 0) return list;
  const bySeq = new Map(list.map((m) => [m.seq, m]));
  for (const m of incoming) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * The highest seq up to which `list` (sorted by seq) has every message from its first one: where
 * a catch-up resumes, so a message that arrived early over a gap does not hide the gap.
 */
export function contiguousEnd(list: { seq: number }[]): number {
  if (list.length === 0) return 0;
  let end = list[0].seq;
  for (let i = 1; i < list.length && list[i].seq === end + 1; i++) end = list[i].seq;
  return end;
}
