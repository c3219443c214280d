// The quick switcher's matching: the letters typed, in order, anywhere in a name ("gnrl" finds
// "general"), ignoring case and accents. What matches better comes first: the whole name, its
// start, a word's start, letters side by side; gaps and a long name count against it.

export interface Match {
  score: number;
  /** the indexes of the name's matched characters, for showing them */
  positions: number[];
}

/** Lower case, without accents (ё is е, é is e), one character for one, so indexes still match. */
function fold(text: string): string {
  return Array.from(text, (ch) => ch.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().charAt(0) || ch).join("");
}

/** Whether the character at `i` begins a word: the first, after a space or a mark, or a capital after a small letter. */
const isWordStart = (chars: string[], i: number) =>
  i === 0 || /[\s_.\-#@/]/.test(chars[i - 1]) || (/\p{Ll}/u.test(chars[i - 1]) && /\p{Lu}/u.test(chars[i]));

/** How well `query` matches `name`, or null when its letters are not all in it, in order. */
export function fuzzyMatch(query: string, name: string): Match | null {
  const needle = fold(query.replace(/\s+/g, ""));
  if (needle === "") return { score: 0, positions: [] };
  const chars = Array.from(name);
  // one character of `hay` for each of `name`'s (emoji included), so positions are the same in both
  const hay = fold(name);
  if (hay === needle) return { score: 1000, positions: chars.map((_, i) => i) };
  // the earliest match of each letter, then, from the last, each moved next to the one after it
  // when it can be: letters side by side read as a piece ("al" in "a_cal" is its end)
  const positions: number[] = [];
  let from = 0;
  for (const ch of needle) {
    const at = hay.indexOf(ch, from);
    if (at === -1) return null;
    positions.push(at);
    from = at + 1;
  }
  for (let k = positions.length - 2; k >= 0; k--) {
    const later = hay.lastIndexOf(needle[k], positions[k + 1] - 1);
    if (later === positions[k + 1] - 1 && later > positions[k]) positions[k] = later;
  }
  let score = 0;
  positions.forEach((p, k) => {
    score += 10;
    if (isWordStart(chars, p)) score += 12;
    if (k > 0 && p === positions[k - 1] + 1) score += 8;
    else if (k > 0) score -= Math.min(5, p - positions[k - 1] - 1);
  });
  score += positions[0] === 0 ? 15 : -Math.min(10, positions[0]);
  if (hay.includes(needle)) score += 15;
  score -= Math.min(10, Math.floor((hay.length - needle.length) / 4));
  return { score, positions };
}
