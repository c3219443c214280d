// Komnata's protocol: the wire types, payload schemas, limits and event maps that the server,
// the browser, the terminal client, the benchmark and the tests share. At run time it needs zod
// and nothing else, so any client can import it (docs/protocol.md is the same contract in prose).
// The browser imports values from ./request.ts directly and only types from here: it validates
// nothing itself, so zod stays out of its bundle (and zod's eval probe out of the pages' CSP).
export * from "./client-ids.ts";
export * from "./delivery.ts";
export * from "./errors.ts";
export * from "./events.ts";
export * from "./fields.ts";
export * from "./http.ts";
export * from "./integrations.ts";
export * from "./limits.ts";
export * from "./mentions.ts";
export * from "./request.ts";
export * from "./roles.ts";
export * from "./text.ts";
export type * from "./wire.ts";
