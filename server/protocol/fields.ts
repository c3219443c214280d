// The input rules shared by every transport and client: the HTTP API, Socket.IO events, the
// pages' forms and the terminal client.
import { z } from "zod";
import { MAX_BODY_CHARS, MAX_EMOJI_CHARS, MAX_PAGE } from "./limits.ts";
import { cleanBody, hasVisible, stripInvisible } from "./text.ts";
import type { PageCursor } from "./wire.ts";

/** Letters of any script (with their accents), digits, and _ . - (in NFC, invisible characters removed). */
export const username = z
  .string()
  .max(256, "Username must be 3-32 characters")
  .transform(stripInvisible)
  .pipe(
    z
      .string()
      .trim()
      .min(3, "Username must be 3-32 characters")
      .max(32, "Username must be 3-32 characters")
      .regex(/^[\p{L}\p{M}\p{N}_.-]+$/u, "Username may contain only letters, digits, _ . and -"),
  );

export const password = z
  .string()
  .min(8, "Password must be at least 8 characters")
  .max(1024, "Password must be at most 1024 characters");

export const credentials = z.object({ username, password });

export const id = z.string().min(1).max(64);

/** What of a room notifies a member: every message, mentions of them (the default), or nothing (muted). */
export const NOTIFY_LEVELS = ["all", "mentions", "nothing"] as const;

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "A time is HH:MM, from 00:00 to 23:59");

/** A change to how a person is notified: any of the settings, the others kept. */
export const userSettingsChange = z
  .object({
    desktop: z.boolean().optional(),
    push: z.boolean().optional(),
    sound: z.boolean().optional(),
    quietHours: z.object({ from: clock, to: clock }).strict().nullable().optional(),
    timeZone: z
      .string()
      .max(64)
      .refine((zone) => {
        try {
          new Intl.DateTimeFormat("en", { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, "No such time zone")
      .optional(),
  })
  .strict();

/** The name shown beside a username: at most 64 characters; "" takes it away. */
export const displayName = z
  .string()
  .max(1024, "Display name: at most 64 characters")
  .transform(stripInvisible)
  .pipe(z.string().trim().max(64, "Display name: at most 64 characters"));

/** A short status ("On holiday until Monday"): at most 140 characters; "" takes it away. */
export const statusText = z
  .string()
  .max(2048, "Status: at most 140 characters")
  .transform(stripInvisible)
  .pipe(z.string().trim().max(140, "Status: at most 140 characters"));

/**
 * The largest seq or rev a message can have (PostgreSQL keeps them as `integer`): a larger
 * position is refused as invalid_input, not left to fail in the database.
 */
export const MAX_POSITION = 2_147_483_647;

/** A message's seq; `min` 0 where "before the first" is meant. */
export const seq = (min: 0 | 1) => z.number().int().min(min).max(MAX_POSITION);

/** A position in a room's (conversation's) change feed: 0 is before everything. */
export const rev = z.number().int().min(0).max(MAX_POSITION);

export const roomName = z
  .string()
  .max(1024, "Room name must be 1-64 characters")
  .transform(stripInvisible)
  .pipe(
    z
      .string()
      .trim()
      .min(1, "Room name must be 1-64 characters")
      .max(64, "Room name must be 1-64 characters")
      .refine(hasVisible, "Room name must have a letter, digit or symbol in it"),
  );
export const roomTopic = z
  .string()
  .max(4096, "Topic must be at most 256 characters")
  .transform(stripInvisible)
  .pipe(z.string().trim().max(256, "Topic must be at most 256 characters"));

const TOO_LONG = `Message must be at most ${MAX_BODY_CHARS} characters`;
export const messageBody = z
  .string()
  // a cheap bound before trimming: at most four UTF-16 units per character is plenty
  .max(MAX_BODY_CHARS * 4, TOO_LONG)
  .transform((s) => cleanBody(s).trim())
  .pipe(z.string().min(1, "Message must not be empty").max(MAX_BODY_CHARS, TOO_LONG));

export const clientMsgId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "clientMsgId: 1-64 of A-Z a-z 0-9 _ -");

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });
// a pictograph, a flag (two regional indicators) or a keycap, with any modifiers and joiners
const EMOJI = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}{2}|[0-9#*]\uFE0F?\u20E3)/u;
const SHORT_NAME = /^:[a-z0-9_+-]{1,62}:$/;

/** True for exactly one emoji (one grapheme cluster that is a pictograph, flag or keycap). */
export function isOneEmoji(text: string): boolean {
  const [first, second] = graphemes.segment(text);
  return first !== undefined && second === undefined && EMOJI.test(first.segment);
}

/** A reaction: one emoji (as the keyboard or picker gives it) or a `:short_name:`. */
export const emoji = z
  .string()
  .min(1, "Choose an emoji")
  .max(MAX_EMOJI_CHARS, `An emoji is at most ${MAX_EMOJI_CHARS} characters`)
  .refine((s) => SHORT_NAME.test(s) || isOneEmoji(s), "A reaction is one emoji or a :short_name:");

const oneCursor = (v: PageCursor) => v.beforeSeq === undefined || v.afterSeq === undefined;

const cursor = {
  beforeSeq: seq(1).optional(),
  afterSeq: seq(0).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE).default(50),
};

/**
 * A request for a page of a room's or a conversation's messages: `fields` (which one) and a
 * cursor: before a seq, after one, or the newest.
 */
export function paged<S extends z.ZodRawShape>(fields: S) {
  return z.object({ ...fields, ...cursor }).refine((v) => oneCursor(v as PageCursor), "give beforeSeq or afterSeq, not both");
}
