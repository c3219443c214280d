// Text with the parts a search matched marked (the server says where: SearchResult.highlights).

/** Characters of context kept before the first match, and in all, when a long message is cut. */
const BEFORE = 60;
const LENGTH = 240;

/**
 * The part of a long `text` worth showing: from a little before the first match, at a word
 * start, about LENGTH characters, with "…" where it was cut; `ranges` moved along.
 */
export function snippet(text: string, ranges: [number, number][]): { text: string; ranges: [number, number][] } {
  const flat = text.replace(/\s+/g, " ");
  // whitespace runs became one space: the offsets move with them
  const map: number[] = [];
  let out = 0;
  for (let i = 0; i < text.length; i++) {
    map.push(out);
    if (!(/\s/.test(text[i]) && i > 0 && /\s/.test(text[i - 1]))) out++;
  }
  map.push(out);
  const moved = ranges.map(([s, e]): [number, number] => [map[s], map[e]]);
  if (flat.length <= LENGTH) return { text: flat, ranges: moved };
  let start = Math.max(0, (moved[0]?.[0] ?? 0) - BEFORE);
  if (start > 0) start = flat.indexOf(" ", start) + 1 || start;
  const end = Math.min(flat.length, start + LENGTH);
  const head = start > 0 ? "…" : "";
  const cut = flat.slice(start, end) + (end < flat.length ? "…" : "");
  const shift = head.length - start;
  return {
    text: head + cut,
    ranges: moved.filter(([s, e]) => s >= start && e <= end).map(([s, e]): [number, number] => [s + shift, e + shift]),
  };
}

export function Highlighted({ text, ranges }: { text: string; ranges: [number, number][] }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [s, e] of ranges) {
    if (s < at || e > text.length) continue;
    parts.push(text.slice(at, s));
    parts.push(
      <mark key={s} className="rounded-sm bg-amber-200 px-0.5 text-inherit dark:bg-amber-500/40">
        {text.slice(s, e)}
      </mark>,
    );
    at = e;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}
