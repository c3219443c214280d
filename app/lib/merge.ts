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
 * seq on: changes to older messages wait until those are paged in (fresh, as they are then).
 */
export function inWindow<M extends { seq: number }>(list: M[], incoming: M[]): M[] {
  const first = list[0]?.seq;
  return first === undefined ? incoming : incoming.filter((m) => m.seq >= first);
}
