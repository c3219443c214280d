// Next.js bundles app/ code apart from the modules the custom server loads, so the two do not
// share module state. next-auth's credentials check (in the Next bundle) reaches the server's
// UserService, with its rate limits, through this process-wide hook instead of a second copy.
import type { PublicUser } from "../services/users.ts";

export interface AuthBridge {
  /** Resolves the user, or rejects with an error whose `code` is unauthorized, invalid_input or rate_limited. */
  verifyCredentials(input: unknown, address: string): Promise<PublicUser>;
}

const KEY = Symbol.for("komnata.auth-bridge");
type WithBridge = typeof globalThis & { [KEY]?: AuthBridge };

export function installAuthBridge(bridge: AuthBridge): void {
  (globalThis as WithBridge)[KEY] = bridge;
}

export function authBridge(): AuthBridge {
  const bridge = (globalThis as WithBridge)[KEY];
  if (!bridge) throw new Error("Komnata's pages must be served by server/index.ts (npm start / npm run dev)");
  return bridge;
}

/** The header the custom server sets to the client's address before Next.js sees a request. */
export const CLIENT_ADDRESS_HEADER = "x-komnata-client-address";
