// The queue every message:send goes through (docs/decisions/004-event-queue.md), as the server
// and the benchmark build it.
import type { Provider } from "../db/provider.ts";
import type { MessageStore } from "../services/message-store.ts";
import type { OutgoingMessage, Stored } from "../services/messages.ts";
import { BatchQueue, type BatchQueueOptions } from "./batch-queue.ts";

export type MessageQueue = BatchQueue<OutgoingMessage, Stored>;

export function createMessageQueue(
  store: MessageStore,
  provider: Provider,
  overrides: Partial<Omit<BatchQueueOptions<OutgoingMessage, Stored>, "write">> = {},
): MessageQueue {
  return new BatchQueue<OutgoingMessage, Stored>({
    write: (groups) => store.storeBatches(groups.map(({ key, jobs }) => ({ roomId: key, messages: jobs }))),
    maxPending: 10_000,
    maxPendingPerSender: 64,
    maxBatch: 256,
    // SQLite has one writer: one transaction for every ready room is cheapest. PostgreSQL
    // writes rooms in parallel, one transaction each, so one room's row lock holds up no other.
    maxKeysPerWrite: provider === "sqlite" ? 64 : 1,
    concurrency: provider === "sqlite" ? 1 : 8,
    ...overrides,
  });
}
