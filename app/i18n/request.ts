// next-intl's per-request configuration (wired in next.config.js): which language this page
// speaks, and its messages. The account's choice wins, then this browser's cookie, then its
// Accept-Language, then English (server/i18n/choose.ts; docs/i18n.md).
import { cookies, headers } from "next/headers";
import { getServerSession } from "next-auth";
import { getRequestConfig } from "next-intl/server";
import { authOptions } from "@/server/auth/next-auth-options";
import { serverBridge } from "@/server/bridge";
import { chooseLocale, LOCALE_COOKIE } from "@/server/i18n/choose";

export default getRequestConfig(async () => {
  const bridge = serverBridge();
  const session = await getServerSession(authOptions());
  const account = session?.user?.id ? await bridge.localeOf(session.user.id) : null;
  const locale = chooseLocale(
    bridge.languages.map((l) => l.locale),
    {
      account,
      cookie: (await cookies()).get(LOCALE_COOKIE)?.value,
      acceptLanguage: (await headers()).get("accept-language"),
    },
  );
  return {
    locale,
    messages: (await import(`../../messages/${locale}.json`)).default,
  };
});
