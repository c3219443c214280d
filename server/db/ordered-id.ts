// Ids for rows written at a high rate (messages, their edit history): UUIDv7 (RFC 9562), whose
// first 48 bits are the time in milliseconds. A random UUIDv4 lands each new row on a random leaf
// of the primary key's B-tree (and of every index that holds the id), so a batch of N messages
// rewrote N scattered pages in each; ids that grow with time append to the same few pages.
// To clients an id stays an opaque string.
import { randomFillSync } from "node:crypto";

const POOL_IDS = 256;
const pool = Buffer.alloc(10 * POOL_IDS);
let offset = pool.length;
const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function orderedId(now = Date.now()): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const r = pool.subarray(offset, offset + 10);
  offset += 10;
  // 48 bits of time, then version 7, 12 random bits, the RFC's variant, 62 random bits
  const time = now.toString(16).padStart(12, "0").slice(-12);
  const h = (i: number) => hex[r[i]];
  return (
    `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex[r[0]][1]}${h(1)}-` +
    `${hex[(r[2] & 0x3f) | 0x80]}${h(3)}-${h(4)}${h(5)}${h(6)}${h(7)}${h(8)}${h(9)}`
  );
}
