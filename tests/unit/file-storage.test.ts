// The local-disk file store: staging, limits, commit, sweep.
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { contentDisposition, safeFileName } from "../../server/files/names.ts";
import { LocalDiskStorage } from "../../server/files/storage.ts";

let dir: string;
let storage: LocalDiskStorage;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "komnata-storage-"));
  storage = new LocalDiskStorage(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const staged = () => readdirSync(path.join(dir, ".staging"));

async function readAll(stream: Readable): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk;
  return text;
}

describe("LocalDiskStorage", () => {
  it("stages, hashes and commits under the key; open streams it back", async () => {
    const blob = await storage.stage(Readable.from([Buffer.from("hello "), Buffer.from("world")]), 100);
    expect(blob).toMatchObject({
      size: 11,
      sha256: "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
    });
    expect(blob.head.toString()).toBe("hello world");
    await blob.commit("abc-123");
    expect(staged()).toEqual([]);
    const opened = await storage.open("abc-123");
    expect(opened?.size).toBe(11);
    expect(await readAll(opened?.read() as Readable)).toBe("hello world");
    expect(await readAll(opened?.read({ start: 6, end: 10 }) as Readable)).toBe("world");
    expect(await storage.open("nothing-here")).toBeNull();
    await storage.remove("abc-123");
    expect(await storage.open("abc-123")).toBeNull();
  });

  it("refuses past the limit, leaves the rest of the source unread and nothing on disk", async () => {
    const source = new PassThrough();
    const staging = storage.stage(source, 10);
    source.write(Buffer.alloc(8));
    source.write(Buffer.alloc(8));
    await expect(staging).rejects.toMatchObject({ code: "too_large" });
    expect(source.isPaused()).toBe(true);
    expect(staged()).toEqual([]);
  });

  it("treats a source that fails or closes early as an interrupted upload", async () => {
    const source = new PassThrough();
    const staging = storage.stage(source, 1000);
    source.write("partial");
    source.destroy(new Error("socket hang up"));
    await expect(staging).rejects.toMatchObject({ code: "invalid_input", message: "The upload was interrupted." });
    expect(staged()).toEqual([]);
  });

  it("never takes a key that could leave its folder", async () => {
    const blob = await storage.stage(Readable.from(["x"]), 10);
    await expect(blob.commit("../escape")).rejects.toThrow(/bad storage key/);
    await blob.discard();
    expect(staged()).toEqual([]);
  });

  it("sweeps staged leftovers older than the cutoff, not the fresh ones", async () => {
    await storage.stage(Readable.from(["x"]), 10).then((b) => b.discard());
    const old = path.join(dir, ".staging", "old.part");
    const fresh = path.join(dir, ".staging", "fresh.part");
    writeFileSync(old, "crashed");
    writeFileSync(fresh, "in progress elsewhere");
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(old, twoHoursAgo, twoHoursAgo);
    await storage.sweep(60 * 60 * 1000);
    expect(staged()).toEqual(["fresh.part"]);
  });
});

describe("file names", () => {
  it("keep what is safe and the extension when cut", () => {
    expect(safeFileName("report.final.PDF")).toBe("report.final.PDF");
    expect(safeFileName("LPT1.log")).toBe("_LPT1.log");
    expect(safeFileName("e\u0301te\u0301.txt")).toBe("été.txt");
    const cut = safeFileName(`${"日".repeat(200)}.tar.gz`);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(255);
    expect(cut.endsWith("日.gz")).toBe(true);
  });

  it("make a header value with no way out of its quotes", () => {
    expect(contentDisposition("attachment", 'a"b\\c;d%e ü.txt')).toBe(
      `attachment; filename="a_b_c_d_e _.txt"; filename*=UTF-8''a%22b%5Cc%3Bd%25e%20%C3%BC.txt`,
    );
  });
});
