// The numbers a client must respect, in one place (docs/protocol.md, "Limits").

/** Characters in a message body, after trimming. */
export const MAX_BODY_CHARS = 4000;
/** Messages a room's or a conversation's history page may ask for. */
export const MAX_PAGE = 100;
/** Messages `room:join` answers with. */
export const JOIN_PAGE = 50;
/** Rooms a `room:list` page may ask for. */
export const MAX_ROOM_PAGE = 100;
/** Messages a `room:sync` / `dm:sync` page may ask for. */
export const MAX_SYNC_PAGE = 500;
/** People a `user:search` may ask for. */
export const MAX_USER_PAGE = 20;
/** Files a `file:list` page may ask for. */
export const MAX_FILE_PAGE = 100;
/**
 * The largest Socket.IO frame a client may send. A body is at most 4,000 characters (16 KB in
 * UTF-8, up to 24 KB JSON-escaped), so this leaves room for the envelope; a larger frame closes
 * that client's connection (Socket.IO's rule).
 */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Uploads one user may have in flight at once: enough for a few files dropped together. */
export const MAX_UPLOADS_PER_USER = 4;
/** Sends one user may have waiting in the write queue. */
export const MAX_PENDING_SENDS_PER_USER = 64;
/** Different emoji one message may carry (each with any number of people). */
export const MAX_REACTIONS_PER_MESSAGE = 40;
/** Characters of a reaction: one emoji, or a `:short_name:`. */
export const MAX_EMOJI_CHARS = 64;
/** Characters of the original a reply quotes (its first line). */
export const MAX_EXCERPT_CHARS = 120;

/** Most search results in one answer. */
export const MAX_SEARCH_PAGE = 50;
/** Longest search query. */
export const MAX_SEARCH_QUERY_CHARS = 256;
/** Most messages around one (room:around, dm:around). */
export const MAX_AROUND_PAGE = 100;

/** How many messages a room may have pinned at once. */
export const MAX_PINS_PER_ROOM = 50;
