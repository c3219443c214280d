// Who a message mentions: `@username` of someone who can read it (any case), `@room` (everyone
// in the room) and `@here` (those online when it is sent). Code is code: a name in `inline code`
// or a fenced block mentions nobody. The server finds them when it stores a message or an edit;
// the browser uses the same rules to highlight them and to offer names as they are typed.

export interface Mentions {
  /** the ids of the people mentioned by name, in the order first mentioned */
  users: string[];
  /** their names as matched, in lower case, in the same order (for highlighting) */
  names: string[];
  /** `@room`: everyone in the room */
  room: boolean;
  /** `@here`: everyone online when it was sent */
  here: boolean;
}

export const NO_MENTIONS: Mentions = { users: [], names: [], room: false, here: false };

/** The words that mention groups rather than a person (they win over a user of that name). */
export const GROUP_MENTIONS = ["room", "here"] as const;

const NAME = /[\p{L}\p{M}\p{N}_.-]/u;
// an @ that starts a word: not inside an e-mail address or another name
const MENTION = /(?<![\p{L}\p{M}\p{N}_.\-@])@([\p{L}\p{M}\p{N}_.-]+)/gu;

/** `body` with fenced code blocks and inline code spans blanked out. */
export function withoutCode(body: string): string {
  return body
    .replace(/^( {0,3})(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\2[`~]*[ \t]*$|(?![\s\S]))/gm, " ")
    .replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, " ");
}

/** The lower-cased names written after an @ (outside code), in order, with trailing . and - as written. */
export function mentionedWords(body: string): string[] {
  return Array.from(withoutCode(body).matchAll(MENTION), (m) => m[1].normalize("NFC").toLowerCase());
}

/**
 * What `body` mentions, among `readers` (the people who can read it). A word that names nobody
 * as written is tried without the dots and dashes it ends with ("@alice." is alice).
 */
export function findMentions(body: string, readers: readonly { id: string; username: string }[]): Mentions {
  if (!body.includes("@")) return NO_MENTIONS;
  const byName = new Map(readers.map((r) => [r.username.normalize("NFC").toLowerCase(), r.id]));
  const found: Mentions = { users: [], names: [], room: false, here: false };
  for (const word of mentionedWords(body)) {
    const name = resolveMention(word, (n) => byName.has(n));
    if (name === "room") found.room = true;
    else if (name === "here") found.here = true;
    else if (name !== null) {
      const id = byName.get(name) as string;
      if (!found.users.includes(id)) {
        found.users.push(id);
        found.names.push(name);
      }
    }
  }
  return found;
}

/**
 * The name a word written after an @ stands for ("room", "here", or one `known` says is a
 * person's), trying it without the dots and dashes it ends with; null when it names nobody.
 */
export function resolveMention(word: string, known: (name: string) => boolean): string | null {
  let name = word.normalize("NFC").toLowerCase();
  for (;;) {
    if ((GROUP_MENTIONS as readonly string[]).includes(name) || known(name)) return name;
    if (!/[.-]$/.test(name)) return null;
    name = name.slice(0, -1);
  }
}

/**
 * `text` (outside code) cut into plain pieces and mentions, for showing them: each mention as
 * written, with the name it resolved to.
 */
export function splitMentions(
  text: string,
  known: (name: string) => boolean,
): ({ text: string } | { mention: string; name: string })[] {
  const pieces: ({ text: string } | { mention: string; name: string })[] = [];
  let at = 0;
  for (const match of text.matchAll(MENTION)) {
    const name = resolveMention(match[1], known);
    if (name === null) continue;
    const start = match.index ?? 0;
    // what the name covers: "@alice" of "@alice."
    const length = 1 + Array.from(match[1]).slice(0, Array.from(name).length).join("").length;
    if (start > at) pieces.push({ text: text.slice(at, start) });
    pieces.push({ mention: text.slice(start, start + length), name });
    at = start + length;
  }
  if (at < text.length) pieces.push({ text: text.slice(at) });
  return pieces;
}

/** Whether a message with `mentions` calls for `userId` (by name, or as one of the room, or online for @here). */
export function mentionsUser(mentions: Mentions | undefined, userId: string, online = true): boolean {
  if (!mentions) return false;
  return mentions.users.includes(userId) || mentions.room || (mentions.here && online);
}

/**
 * How a message's mentions are stored (Message.mentions): the wire's, plus `online`, whom @here
 * reached when it was written. Unread mentions are counted on it with LIKE: a user is called
 * for by a message whose JSON holds their id in quotes, or `"room":true`.
 */
export interface StoredMentions extends Mentions {
  online: string[];
}

/** The column's value for `mentions` (null when it mentions nobody); `online` is who is online now. */
export function storedMentions(
  mentions: Mentions,
  online: (userId: string) => boolean,
  readers: { id: string }[],
): string | null {
  if (mentions.users.length === 0 && !mentions.room && !mentions.here) return null;
  const stored: StoredMentions = { ...mentions, online: mentions.here ? readers.map((r) => r.id).filter(online) : [] };
  return JSON.stringify(stored);
}

/** The wire's mentions of a stored value. */
export function wireMentions(column: string | null): Mentions {
  if (column === null) return NO_MENTIONS;
  const { users, names, room, here } = JSON.parse(column) as StoredMentions;
  return { users, names, room, here };
}

/** Whether `ch` can be part of a name (for the composer: where a mention being typed ends). */
export const isNameChar = (ch: string): boolean => NAME.test(ch);
