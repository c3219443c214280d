// Where shared files' bytes live. Callers see only this interface: stage an upload (streamed to
// a local staging file, counted and hashed on the way), then commit it under a key, or discard
// it. An S3-compatible store would stage the same way and upload on commit.
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { AppError } from "../services/errors.ts";

/** Only the server's own user may read what people shared (docs/architecture.md, "Data on disk"). */
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

export interface StagedBlob {
  readonly size: number;
  /** hex SHA-256 of the content */
  readonly sha256: string;
  /** the first bytes, for recognising the format */
  readonly head: Buffer;
  /** the staging file on this machine (for reading it again before commit, e.g. for a thumbnail) */
  readonly path: string;
  /** Keeps the bytes under `key`; the staging file is gone afterwards. */
  commit(key: string): Promise<void>;
  /** Throws the bytes away. */
  discard(): Promise<void>;
}

export interface StoredBlob {
  size: number;
  /** The bytes, or those from `start` to `end` (inclusive). */
  read(range?: { start: number; end: number }): Readable;
}

export interface FileStorage {
  /**
   * Streams `source` to staging. Rejects with too_large as soon as more than `maxBytes` arrive
   * (leaving the rest of `source` unread and `source` paused), and with invalid_input when the
   * source ends early or fails; either way nothing is left behind.
   */
  stage(source: Readable, maxBytes: number): Promise<StagedBlob>;
  /** The bytes under `key`, or null when there are none. */
  open(key: string): Promise<StoredBlob | null>;
  remove(key: string): Promise<void>;
  /**
   * Deletes staged files older than `olderThanMs`: what a crashed process staged and never
   * committed. (Not younger ones: another node sharing the storage may be receiving them.)
   */
  sweep(olderThanMs: number): Promise<void>;
  /** Rejects unless a file can be written and removed now (for the health check and the start). */
  check(): Promise<void>;
}

const KEY = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;
const HEAD_BYTES = 64;

/** Files on this machine's disk: `dir/ab/abcdef…` for key `abcdef…`, staging in `dir/.staging`. */
export class LocalDiskStorage implements FileStorage {
  private readonly staging: string;

  constructor(private readonly dir: string) {
    this.staging = path.join(dir, ".staging");
  }

  async check(): Promise<void> {
    await mkdir(this.staging, { recursive: true, mode: PRIVATE_DIR });
    const probe = path.join(this.staging, `health-${randomUUID()}.probe`);
    await writeFile(probe, "ok", { mode: PRIVATE_FILE });
    await unlink(probe);
  }

  private pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`bad storage key ${JSON.stringify(key)}`);
    return path.join(this.dir, key.slice(0, 2), key);
  }

  async stage(source: Readable, maxBytes: number): Promise<StagedBlob> {
    // an error while the folder is made is seen below as a destroyed source, not left unheard
    const ignore = () => undefined;
    source.on("error", ignore);
    try {
      await mkdir(this.staging, { recursive: true, mode: PRIVATE_DIR });
    } finally {
      source.off("error", ignore);
    }
    const file = path.join(this.staging, `${randomUUID()}.part`);
    const out = createWriteStream(file, { flags: "wx", mode: PRIVATE_FILE });
    const hash = createHash("sha256");
    const head: Buffer[] = [];
    let headSize = 0;
    let size = 0;

    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const onData = (data: Buffer | string) => {
        const chunk = typeof data === "string" ? Buffer.from(data) : data;
        size += chunk.length;
        if (size > maxBytes) {
          fail(new AppError("too_large", `The file is larger than the ${formatLimit(maxBytes)} upload limit.`));
          return;
        }
        hash.update(chunk);
        if (headSize < HEAD_BYTES) {
          head.push(chunk.subarray(0, HEAD_BYTES - headSize));
          headSize += Math.min(chunk.length, HEAD_BYTES - headSize);
        }
        if (!out.write(chunk)) source.pause();
      };
      const onDrain = () => source.resume();
      const onEnd = () => out.end();
      const onClose = () => {
        if (!source.readableEnded) fail(new AppError("invalid_input", "The upload was interrupted."));
      };
      const onError = () => fail(new AppError("invalid_input", "The upload was interrupted."));
      const detach = () => {
        source.off("data", onData);
        source.off("end", onEnd);
        source.off("close", onClose);
        source.off("error", onError);
        out.off("drain", onDrain);
      };
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        detach();
        source.pause();
        // swallow a later error from the source: it is already answered
        source.on("error", () => undefined);
        out.destroy();
        reject(error);
      };
      source.on("data", onData);
      source.on("end", onEnd);
      source.on("close", onClose);
      source.on("error", onError);
      out.on("drain", onDrain);
      out.on("error", (error) => fail(error));
      out.on("finish", () => {
        if (settled) return;
        settled = true;
        detach();
        resolve();
      });
      // it may have ended before anyone listened (a client gone while its request was checked)
      if (source.destroyed) onClose();
    }).catch(async (error: unknown) => {
      await new Promise<void>((resolve) => (out.closed ? resolve() : out.once("close", () => resolve())));
      await unlink(file).catch(() => undefined);
      throw error;
    });

    let done = false;
    return {
      size,
      sha256: hash.digest("hex"),
      head: Buffer.concat(head),
      path: file,
      commit: async (key) => {
        const target = this.pathOf(key);
        await mkdir(path.dirname(target), { recursive: true, mode: PRIVATE_DIR });
        await rename(file, target);
        done = true;
      },
      discard: async () => {
        if (!done) await unlink(file).catch(() => undefined);
        done = true;
      },
    };
  }

  async open(key: string): Promise<StoredBlob | null> {
    const file = this.pathOf(key);
    try {
      const { size } = await stat(file);
      return { size, read: (range) => createReadStream(file, range) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async sweep(olderThanMs: number): Promise<void> {
    const leftovers = await readdir(this.staging).catch(() => [] as string[]);
    const cutoff = Date.now() - olderThanMs;
    for (const name of leftovers) {
      const file = path.join(this.staging, name);
      const info = await stat(file).catch(() => null);
      if (info && info.mtimeMs < cutoff) await rm(file, { force: true });
    }
  }
}

export function formatLimit(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}
