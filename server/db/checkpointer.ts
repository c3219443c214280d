// SQLite in WAL mode appends every commit to the -wal file; a checkpoint copies those pages back
// into the database file. By default the connection whose commit takes the WAL past 1,000 pages
// runs one there and then: on the event loop, every few hundred messages under load, for several
// milliseconds (thousands of page writes and an fsync), which was most of a send's p99 at
// 200 msg/s. The server's connections do not checkpoint (`wal_autocheckpoint = 0`); this worker
// thread does, on its own connection, PASSIVE (it neither waits for nor blocks readers and
// writers), every `everyMs`. SQLite checkpoints once more when the last connection closes.
//
// A checkpoint does not make the WAL shorter: the next commit starts writing it from the top
// again, but only when it finds every frame already copied. Under steady writes a checkpoint
// (its copying and two fsyncs) rarely ends before the next commit has added frames, so that
// never happened: at 200 messages a second the file grew by 11 MB a second for as long as the
// load lasted, and every commit wrote to new pages of the file (the kernel zeroing and
// allocating each), where writes over the same few megabytes stay in the page cache. Frequent
// checkpoints leave fewer frames to copy, so more of them end between two commits; and when the
// WAL holds more than `restartFrames` frames all the same, the worker checkpoints in RESTART
// mode right after a PASSIVE one: it takes the write lock for the few frames written since,
// syncs and starts the WAL over. A commit that comes meanwhile waits for it (about a millisecond
// where PASSIVE ones run every 100 ms at a thousand commits a second); with the lock taken, the
// worker does not wait and tries again next time.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

// the worker's code is evaluated, not loaded from a file: it finds the driver by its full path
const driver = createRequire(import.meta.url).resolve("better-sqlite3");

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 0");
const timer = setInterval(() => {
  try {
    const [{ log }] = db.pragma("wal_checkpoint(PASSIVE)");
    if (log > workerData.restartFrames) db.pragma("wal_checkpoint(RESTART)");
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message) });
  }
}, workerData.everyMs);
parentPort.on("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  onError: (message: string) => void;
  onGone: () => void;
  everyMs?: number;
  /** frames past which the WAL is started over (4,096: 16 MiB of 4 KiB pages) */
  restartFrames?: number;
}

/**
 * Checkpoints the SQLite database `file` every `everyMs` from a worker thread. Should the worker
 * fail to start or die, `onGone` is called (the caller lets its connection checkpoint again).
 */
export function startCheckpointer(
  file: string,
  { onError, onGone, everyMs = 100, restartFrames = 4096 }: CheckpointerOptions,
): Checkpointer {
  const worker = new Worker(WORKER, { eval: true, workerData: { file, everyMs, restartFrames, driver } });
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    worker.once("exit", () => {
      if (!stopping) onGone();
      resolve();
    }),
  );
  worker.on("message", (m: { error?: string }) => m.error && onError(m.error));
  worker.on("error", (error) => onError(error.message));
  worker.unref();
  return {
    stop: () => {
      stopping = true;
      // held open until it has closed its connection (at once if it is gone already)
      worker.ref();
      worker.postMessage("stop");
      return exited;
    },
  };
}
