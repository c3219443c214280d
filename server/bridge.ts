// Next.js bundles app/ code apart from the modules the custom server loads, so the two do not
// share module state. What the pages need of the running server (next-auth's credentials check,
// which must go through the server's UserService and its rate limits; the configured limits)
// they reach through this process-wide hook instead of a second copy.
import type { SessionClaim } from "./auth/tokens.ts";
import type { Language } from "./i18n/choose.ts";
import type { PublicUser, RegistrationMode } from "./protocol/index.ts";

export interface ServerBridge {
  /** Resolves the user, or rejects with an error whose `code` is unauthorized, invalid_input or rate_limited. */
  verifyCredentials(input: unknown, address: string): Promise<PublicUser>;
  /** False when the session was signed out (or the account is gone): next-auth then drops it. */
  checkSession(claim: SessionClaim): Promise<boolean>;
  /** Signs the session out: its cookie is refused from now on and its connections close. */
  revokeSession(claim: SessionClaim): Promise<void>;
  /** the upload limit in bytes (MAX_UPLOAD_MB, or less as a server admin set it), so the pages refuse a file too large before sending it */
  readonly maxUploadBytes: number;
  /** who may make an account now (the sign-in page offers "Create account" accordingly) */
  registration(): Promise<RegistrationMode>;
  /** whether a user is a server admin (the /admin page, the account menu's link to it) */
  isAdmin(userId: string): Promise<boolean>;
  /** the languages with a file in messages/, the default first */
  languages: Language[];
  /** the language a signed-in person chose on their account, or null */
  localeOf(userId: string): Promise<string | null>;
  /** a room's name, for its page's title; null when there is no such room, or it is private and `readerId` not in it */
  roomName(roomId: string, readerId: string): Promise<string | null>;
}

const KEY = Symbol.for("komnata.server-bridge");
type WithBridge = typeof globalThis & { [KEY]?: ServerBridge };

export function installBridge(bridge: ServerBridge): void {
  (globalThis as WithBridge)[KEY] = bridge;
}

export function serverBridge(): ServerBridge {
  const bridge = (globalThis as WithBridge)[KEY];
  if (!bridge) throw new Error("Komnata's pages must be served by server/index.ts (npm start / npm run dev)");
  return bridge;
}

/** The header the custom server sets to the client's address before Next.js sees a request. */
export const CLIENT_ADDRESS_HEADER = "x-komnata-client-address";
