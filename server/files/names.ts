// File names and types from uploaders are untrusted. The bytes are stored under a server id, so
// a name never reaches the file system here; these rules make it safe to show, to put in a
// header, and to save on the downloader's disk, whatever system that is.

import { stripInvisible } from "../protocol/text.ts";

const MAX_NAME_BYTES = 255;

// Windows refuses these as file names, with any extension ("nul.txt" too).
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\.|$)/i;

/** Cuts `text` to at most `max` UTF-8 bytes without splitting a character. */
function cutToBytes(text: string, max: number): string {
  let out = "";
  let bytes = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > max) break;
    out += ch;
    bytes += size;
  }
  return out;
}

/**
 * The name a file is stored and served under: NFC, no control characters (NUL, CR, LF, ...), no
 * path separators, no leading or trailing dots and spaces, not a reserved device name, at most
 * 255 UTF-8 bytes with the extension kept. Never empty.
 */
export function safeFileName(raw: string): string {
  // controls, bidirectional overrides and other invisible characters (server/protocol/text.ts)
  let name = stripInvisible(raw)
    // separators on any system, and the characters Windows forbids in names
    .replace(/[/\\:*?"<>|]/g, "_")
    .replace(/^[\s.]+|[\s.]+$/g, "");
  if (RESERVED.test(name)) name = `_${name}`;
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
    const dot = name.lastIndexOf(".");
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : "";
    name = cutToBytes(name.slice(0, name.length - ext.length), MAX_NAME_BYTES - Buffer.byteLength(ext)).trimEnd() + ext;
  }
  return name || "file";
}

/** What a search by name compares: the name in lower case (File.nameKey). */
export const nameKey = (name: string): string => name.toLowerCase();

/** RFC 6266 Content-Disposition: an ASCII fallback in `filename` and the exact name in `filename*`. */
export function contentDisposition(kind: "attachment" | "inline", name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,127}$/;

/**
 * The uploader's Content-Type without parameters, when it is a well-formed type; else null.
 * `application/x-www-form-urlencoded` counts as none: it is what `curl --data-binary` sends
 * when nobody chose a type.
 */
export function declaredType(header: string | undefined): string | null {
  const type = (header ?? "").split(";")[0].trim().toLowerCase();
  return MIME.test(type) && type !== "application/x-www-form-urlencoded" ? type : null;
}

// Types served as themselves: data a browser shows inertly (pictures, audio, video, PDF, plain
// text, archives, office documents). Everything else, including every type a browser could run or
// render as a document (HTML, SVG, XML, any script type, text/ecmascript…), is served as
// application/octet-stream.
const SAFE = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/avif",
  "image/bmp",
  "audio/mpeg",
  "audio/ogg",
  "audio/wav",
  "audio/webm",
  "audio/aac",
  "audio/flac",
  "video/mp4",
  "video/webm",
  "video/ogg",
  "video/quicktime",
  "application/pdf",
  "text/plain",
  "text/csv",
  "text/markdown",
  "application/json",
  "application/zip",
  "application/gzip",
  "application/x-tar",
  "application/x-7z-compressed",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.spreadsheet",
  "application/vnd.oasis.opendocument.presentation",
  "application/msword",
  "application/vnd.ms-excel",
  "application/vnd.ms-powerpoint",
]);

/** The Content-Type a download is served with: the stored type if it is on the safe list, else octet-stream. */
export function servedType(stored: string): string {
  return SAFE.has(stored) ? stored : "application/octet-stream";
}

/** The picture formats we make thumbnails of, by their first bytes. */
export function sniffImage(head: Buffer): "png" | "jpeg" | "gif" | "webp" | null {
  if (head.length >= 8 && head.readUInt32BE(0) === 0x89504e47 && head.readUInt32BE(4) === 0x0d0a1a0a) return "png";
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "jpeg";
  if (head.length >= 6 && /^GIF8[79]a$/.test(head.subarray(0, 6).toString("latin1"))) return "gif";
  if (
    head.length >= 12 &&
    head.subarray(0, 4).toString("latin1") === "RIFF" &&
    head.subarray(8, 12).toString("latin1") === "WEBP"
  )
    return "webp";
  return null;
}
