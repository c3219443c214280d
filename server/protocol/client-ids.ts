// How Komnata's own clients (the pages, the terminal client, the benchmark's generator) name a
// send, so a retry is recognized (`clientMsgId`, docs/protocol.md). No imports: the pages load it.
/**
 * A new `clientMsgId` as Komnata's own clients make them: the time in milliseconds (12 hex
 * digits), then 12 random hex digits. Ids that grow with time are the cheapest to store: a room's
 * new ones sit side by side in the index that makes sends idempotent (docs/protocol.md).
 */
export function newClientMsgId(now = Date.now()): string {
  let id = now.toString(16).padStart(12, "0");
  for (const byte of crypto.getRandomValues(new Uint8Array(6))) id += byte.toString(16).padStart(2, "0");
  return id;
}
