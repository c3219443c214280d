// Message search, the parts the server and clients share: how text is folded for matching, how a
// query is read (`from:alice in:general "an exact phrase" привет`), and where its terms match in a
// message's text (the highlights). The index itself: server/services/search/ (decision 015).

/** A query's filters and terms, as `parseSearchQuery` reads them. */
export interface SearchQuery {
  /** what must each be in a message's text or file name: words and "exact phrases", as typed */
  terms: string[];
  /** usernames (`from:alice`, `from:@alice`) */
  from: string[];
  /** room names (`in:general`, `in:#general`) and people of conversations (`in:@alice`) */
  in: string[];
  /** `has:file`, `has:image`, `has:link` */
  has: SearchHas[];
  /** dates, YYYY-MM-DD: `before:` (earlier than that day), `after:` (later than that day), `on:` */
  before?: string;
  after?: string;
  on?: string;
}

export const SEARCH_HAS = ["file", "image", "link"] as const;
export type SearchHas = (typeof SEARCH_HAS)[number];

const FILTER = /^(from|in|has|before|after|on|during):(.+)$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A query's problem a person can fix, in words. */
export class SearchQueryError extends Error {}

/**
 * Reads a query: words and "quoted phrases" are terms; `from:`, `in:`, `has:`, `before:`,
 * `after:`, `on:` are filters (a filter word that is not one of those stays a term: `http://x`).
 */
export function parseSearchQuery(text: string): SearchQuery {
  const query: SearchQuery = { terms: [], from: [], in: [], has: [] };
  // a phrase in quotes ("..." or “...” or «...»), else a run without spaces
  const parts = text.matchAll(/"([^"]*)"?|“([^”]*)”?|«([^»]*)»?|(\S+)/g);
  for (const [, ...groups] of parts) {
    const quoted = groups.slice(0, 3).find((g) => g !== undefined);
    if (quoted !== undefined) {
      if (quoted.trim()) query.terms.push(quoted.trim().replace(/\s+/g, " "));
      continue;
    }
    const word = groups[3] as string;
    const filter = FILTER.exec(word);
    if (!filter) {
      query.terms.push(word);
      continue;
    }
    const name = filter[1].toLowerCase();
    const value = filter[2];
    if (name === "from") query.from.push(value.replace(/^@/, ""));
    else if (name === "in") query.in.push(value);
    else if (name === "has") {
      const has = value.toLowerCase();
      if (!(SEARCH_HAS as readonly string[]).includes(has)) {
        throw new SearchQueryError(`has: takes ${SEARCH_HAS.join(", ")}`);
      }
      if (!query.has.includes(has as SearchHas)) query.has.push(has as SearchHas);
    } else {
      if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
        throw new SearchQueryError(`${name}: takes a date as YYYY-MM-DD`);
      }
      query[name === "during" ? "on" : (name as "before" | "after" | "on")] = value;
    }
  }
  return query;
}

/** Whether a parsed query asks for anything (a term or a filter). */
export const asksForSomething = (q: SearchQuery) =>
  q.terms.length + q.from.length + q.in.length + q.has.length > 0 || Boolean(q.before || q.after || q.on);

// A word is letters, digits, marks and "_" (user_id is one word); everything else stands alone:
// an emoji with its modifiers and joined parts, or any other character.
const TOKEN = /[\p{L}\p{N}\p{M}_]+|\p{Extended_Pictographic}(?:\p{EMod}|\u200d\p{Extended_Pictographic})*|\S/gu;
// Scripts written without spaces between words: a 1- or 2-letter term is found inside a run.
const CJK = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/u;
const CJK_RUN = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]+/gu;

/** One character's (or a string's) folded form: compatibility forms, case, ё as е, no emoji variation selector. */
export const foldCase = (text: string) =>
  text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/[\ufe0e\ufe0f]/g, "");

/**
 * Text as the index keeps it and terms are matched against it: folded (`foldCase`), cut into
 * words and single other characters, one space between each and one at each end:
 * "Привет, foo.bar()!" → " привет , foo . bar ( ) ! ". A term folded the same way matches as a
 * substring; with its end spaces, as whole words.
 */
export function foldForSearch(text: string): string {
  const tokens = foldCase(text).match(TOKEN);
  return tokens ? ` ${tokens.join(" ")} ` : " ";
}

/**
 * The 1- and 2-letter pieces of text in scripts without spaces, each marked, for finding a short
 * term inside a run: "上海开" → " ||上 |上海 ||海 |海开 ||开 ". Folded text in, "" when there are none.
 */
export function cjkGrams(folded: string): string {
  const grams: string[] = [];
  for (const [run] of folded.matchAll(CJK_RUN)) {
    const chars = [...run];
    chars.forEach((c, i) => {
      grams.push(`||${c}`);
      if (i + 1 < chars.length) grams.push(`|${c}${chars[i + 1]}`);
    });
  }
  return grams.length === 0 ? "" : ` ${grams.join(" ")} `;
}

/** Where a term is looked for: a substring of the folded text, or of its CJK grams. */
export interface TermPattern {
  column: "text" | "grams";
  /** found as is (a substring); at least 3 characters, so a trigram index can find it */
  pattern: string;
}

/**
 * How a term is matched: 3 letters or more anywhere (inside words too: "привет" finds
 * "приветствую"); shorter ones as whole words (" не ", not inside "конечно"), or, in scripts
 * without spaces, inside runs ("上海" in "我明天去上海开会"). Null: nothing to match (only spaces).
 */
export function termPattern(term: string): TermPattern | null {
  const folded = foldForSearch(term);
  const inner = folded.slice(1, -1);
  if (inner === "") return null;
  const length = [...inner].length;
  if (length >= 3) return { column: "text", pattern: inner };
  if (CJK.test(inner) && !inner.includes(" ")) {
    return { column: "grams", pattern: length === 1 ? `||${inner} ` : `|${inner} ` };
  }
  return { column: "text", pattern: folded };
}

/**
 * Where `terms` occur in `text` (the original, not folded), as [start, end) UTF-16 offsets,
 * sorted and not overlapping: what a client marks. Matched the way the index matches, per
 * character folded (so offsets map back).
 */
export function highlightRanges(text: string, terms: string[]): [number, number][] {
  // the folded text with, for each folded code unit, the offset of the character it came from
  let folded = "";
  const from: number[] = [];
  let at = 0;
  for (const c of text) {
    const f = foldCase(c);
    folded += f;
    for (let i = 0; i < f.length; i++) from.push(at);
    at += c.length;
  }
  from.push(text.length);
  const ranges: [number, number][] = [];
  for (const term of terms) {
    const needle = foldCase(term).trim();
    if (!needle) continue;
    const short = [...needle].length < 3 && !CJK.test(needle);
    for (let i = folded.indexOf(needle); i !== -1; i = folded.indexOf(needle, i + needle.length)) {
      const end = i + needle.length;
      // a short term is a whole word (its neighbours are not word characters)
      if (short && (isWordChar(folded[i - 1]) || isWordChar(folded[end]))) continue;
      ranges.push([from[i], from[end]]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([...r]);
  }
  return merged;
}

/** Characters of a long message kept (context before the first match, and in all), when a result shows a part of it. */
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

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}\p{M}_]/u.test(c);
