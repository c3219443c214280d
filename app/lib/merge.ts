/** Merges messages into a list ordered by seq, without duplicates (a later copy of a seq wins). */
export function mergeBySeq<M extends { seq: number }>(list: M[], incoming: M[]): M[] {
  if (incoming.length === 0) return list;
  const bySeq = new Map(list.map((m) => [m.seq, m]));
  for (const m of incoming) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
