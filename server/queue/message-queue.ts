// The queues every message:send and dm:send go through (docs/decisions/004-event-queue.md), and
// every edit and deletion, so a room's changes are written in the order they came; as the server
// and the benchmark build them.
import type { Provider } from "../db/provider.ts";
import { MAX_PENDING_SENDS_PER_USER, type WireMessage } from "../protocol/index.ts";
import { isDatabaseUnavailable } from "../services/errors.ts";
import type { ScopedStore } from "../services/message-store/index.ts";
import type { MessageJob, Outcome } from "../services/messages.ts";
import { BatchQueue, type BatchQueueOptions } from "./batch-queue.ts";

export type MessageQueue<W = WireMessage> = BatchQueue<MessageJob, Outcome<W>>;

/** A queue keyed by room (or conversation) id that writes through `store`. */
export function createMessageQueue<W>(
  store: ScopedStore<W>,
  provider: Provider,
  overrides: Partial<Omit<BatchQueueOptions<MessageJob, Outcome<W>>, "write">> = {},
): MessageQueue<W> {
  return new BatchQueue<MessageJob, Outcome<W>>({
    write: (groups) => store.storeBatches(groups.map(({ key, jobs }) => ({ scopeId: key, messages: jobs }))),
    maxPending: 10_000,
    maxPendingPerSender: MAX_PENDING_SENDS_PER_USER,
    maxBatch: 256,
    // SQLite has one writer: one transaction for every ready room is cheapest. PostgreSQL
    // writes rooms in parallel, one transaction each, so one room's row lock holds up no other.
    maxKeysPerWrite: provider === "sqlite" ? 64 : 1,
    concurrency: provider === "sqlite" ? 1 : 8,
    failsAll: isDatabaseUnavailable,
    ...overrides,
  });
}
