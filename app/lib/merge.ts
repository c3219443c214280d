/**
 * Merges messages into a list ordered by seq, without duplicates: of two copies of a seq, the
 * one with the higher rev (its later change) wins, the incoming one when they are equal.
 */
export function mergeBySeq<M extends { seq: number; rev?: number }>(list: M[], incoming: M[]): M[] {
  if (incoming.length === 0) return list;
  const bySeq = new Map(list.map((m) => [m.seq, m]));
  for (const m of incoming) {
    const held = bySeq.get(m.seq);
    if (!held || (m.rev ?? 0) >= (held.rev ?? 0)) bySeq.set(m.seq, m);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * Of what the change feed brought, what belongs in a list that holds every message from its first
 * seq on: changes to older messages wait until those are paged in (fresh, as they are then). New
 * messages may arrive out of order (uploads finish in any order, nodes deliver in their own), so
 * anything from the first seq on is kept. (With a search result's window loaded far back, a change
 * to a message in the gap after it shows that message alone there, until the gap is filled.)
 */
export function inWindow<M extends { seq: number }>(list: M[], incoming: M[]): M[] {
  const first = list[0]?.seq;
  return first === undefined ? incoming : incoming.filter((m) => m.seq >= first);
}

/**
 * The gaps of a list ordered by seq: where it holds a message and not the next one (seqs of a
 * thread have no holes, a deleted message keeps its place), as [after, count] pairs.
 */
export function gapsOf<M extends { seq: number }>(list: M[]): Map<number, number> {
  const gaps = new Map<number, number>();
  for (let i = 1; i < list.length; i++) {
    const missing = list[i].seq - list[i - 1].seq - 1;
    if (missing > 0) gaps.set(list[i - 1].seq, missing);
  }
  return gaps;
}
