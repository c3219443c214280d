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
    write: (roomId, batch) => store.storeRoomBatch(roomId, batch),
    maxPending: 10_000,
    maxPendingPerSender: 64,
    maxBatch: 256,
    // SQLite has one writer; concurrent transactions would only queue inside the driver.
    concurrency: provider === "sqlite" ? 1 : 8,
    ...overrides,
  });
}
