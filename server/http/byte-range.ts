// Which part of a file a download asks for (RFC 9110 §14): resumed downloads send `Range`.
/**
 * A single `Range: bytes=…` of a file of `size` bytes: the span, null to send everything
 * (no range, several ranges, or one we do not read), or "unsatisfiable" (past the end).
 */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | null | "unsatisfiable" {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? "");
  if (!match || (match[1] === "" && match[2] === "")) return null;
  let start: number;
  let end: number;
  if (match[1] === "") {
    // the last N bytes
    const suffix = Number(match[2]);
    if (suffix === 0) return "unsatisfiable";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (end < start && match[2] !== "") return null;
  }
  if (start >= size) return "unsatisfiable";
  return { start, end };
}
