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
 * Of what the change feed brought, what belongs in a list: changes to messages it holds, and
 * messages newer than its newest. Changes to older messages, or to messages in a gap of the list
 * (between a message opened from a search and the newest ones), wait until those are paged in
 * (fresh, as they are then).
 */
export function inWindow<M extends { seq: number }>(list: M[], incoming: M[]): M[] {
  const last = list.at(-1)?.seq;
  if (last === undefined) return incoming;
  const held = new Set(list.map((m) => m.seq));
  return incoming.filter((m) => m.seq > last || held.has(m.seq));
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
