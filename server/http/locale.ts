// The language switch (docs/i18n.md): POST /api/locale { locale } keeps the choice in a cookie
// for this browser and, when someone is signed in, on their account, where it wins on every
// device. It works before sign-in too, so the sign-in page has the switch.
import type { HttpAuth } from "../auth/http-auth.ts";
import { isAllowedOrigin, type SocketAuthOptions } from "../auth/socket-auth.ts";
import { LOCALE_COOKIE } from "../i18n/choose.ts";
import { AppError } from "../services/errors.ts";
import type { UserService } from "../services/users.ts";
import type { Route } from "./api.ts";
import { readJson } from "./respond.ts";

const YEAR_SECONDS = 365 * 24 * 60 * 60;

export function localeRoutes({
  auth,
  users,
  supported,
  origins,
}: {
  auth: HttpAuth;
  users: UserService;
  /** the languages with a messages file */
  supported: string[];
  origins: SocketAuthOptions;
}): Route[] {
  const secure = new URL(origins.publicUrl).protocol === "https:";
  return [
    {
      path: "/api/locale",
      methods: {
        POST: async (req, res) => {
          // only our own pages may change it (another site's form cannot switch someone's language)
          const { origin, host } = req.headers;
          if (origin !== undefined && !isAllowedOrigin(origin, host, origins)) {
            throw new AppError("forbidden", "This origin may not change the language.");
          }
          const body = (await readJson(req)) as { locale?: unknown } | null;
          const locale = body?.locale;
          if (typeof locale !== "string" || !supported.includes(locale)) {
            throw new AppError("invalid_input", `locale must be one of: ${supported.join(", ")}.`);
          }
          const signedIn = await auth(req, "write").catch(() => null);
          if (signedIn) await users.setLocale(signedIn.user.id, locale);
          res.writeHead(204, {
            "set-cookie": `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=${YEAR_SECONDS}; SameSite=Lax; HttpOnly${secure ? "; Secure" : ""}`,
            "cache-control": "no-store",
          });
          res.end();
        },
      },
    },
  ];
}
