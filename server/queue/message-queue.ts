// The queue every message:send goes through (docs/decisions/004-event-queue.md), as the server
// and the benchmark build it.
import type { Db } from "../db.ts";
import type { Provider } from "../db/provider.ts";
import { AppError } from "../services/errors.ts";
import { type OutgoingMessage, type Stored, storeRoomBatch } from "../services/messages.ts";
import { BatchQueue, type BatchQueueOptions } from "./batch-queue.ts";

export type MessageQueue = BatchQueue<OutgoingMessage, Stored>;

export function createMessageQueue(
  db: Db,
  provider: Provider,
  overrides: Partial<Omit<BatchQueueOptions<OutgoingMessage, Stored>, "write">> = {},
): MessageQueue {
  return new BatchQueue<OutgoingMessage, Stored>({
    write: async (roomId, batch) => {
      try {
        return await storeRoomBatch(db, roomId, batch);
      } catch (error) {
        // P2025: the room was deleted while its messages waited
        if ((error as { code?: string }).code === "P2025") throw new AppError("not_found", "No such room.");
        throw error;
      }
    },
    maxPending: 10_000,
    maxPendingPerSender: 64,
    maxBatch: 256,
    // SQLite has one writer; concurrent transactions would only queue inside the driver.
    concurrency: provider === "sqlite" ? 1 : 8,
    ...overrides,
  });
}
