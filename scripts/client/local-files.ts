// The terminal client's side of files: where a path points, what a download may be called here.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

/** A path as the user typed it: `~` is home, relative is from `here` (where the client was started). */
export function localPath(here: string, typed: string): string {
  return path.resolve(here, typed === "~" || typed.startsWith("~/") ? path.join(homedir(), typed.slice(1)) : typed);
}

/** Drops one pair of quotes around a path, as a shell would. */
export const unquote = (text: string) => text.trim().replace(/^(["'])(.*)\1$/, "$2");

const TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".pdf": "application/pdf",
  ".txt": "text/plain",
  ".md": "text/markdown",
  ".csv": "text/csv",
  ".json": "application/json",
  ".zip": "application/zip",
};

/** The MIME type an upload declares, from its extension. */
export const contentType = (name: string) => TYPES[path.extname(name).toLowerCase()] ?? "application/octet-stream";

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** A name from the server, made safe to create here: no folders, no control characters. */
export function localName(raw: string): string {
  const name = raw.replace(CONTROL, "").replace(/[/\\]/g, "_").replace(/^\.+/, "").trim();
  return name || "download";
}

/** A path beside `wanted` that does not exist yet: "a.txt", then "a (1).txt", "a (2).txt"… */
export function freePath(wanted: string): string {
  if (!existsSync(wanted)) return wanted;
  const ext = path.extname(wanted);
  const stem = wanted.slice(0, wanted.length - ext.length);
  for (let i = 1; ; i++) {
    const candidate = `${stem} (${i})${ext}`;
    if (!existsSync(candidate)) return candidate;
  }
}

/** The file name in a `Content-Disposition` header (RFC 6266 `filename*` first), made safe. */
export function dispositionName(header: string): string {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  try {
    return localName(encoded ? decodeURIComponent(encoded) : (/filename="([^"]*)"/.exec(header)?.[1] ?? "download"));
  } catch {
    // a malformed name
    return "download";
  }
}
