// Where a read mark goes: forward to `seq` (never back, never past the last message), or, for
// "mark as unread", back to just before `seq` (never forward). Rooms and conversations alike.

export function movedMark(current: number, seq: number, lastSeq: number, back: boolean): number {
  return back ? Math.min(current, Math.max(0, seq - 1)) : Math.max(current, Math.min(seq, lastSeq));
}
