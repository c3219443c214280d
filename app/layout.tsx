import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import { serverBridge } from "@/server/bridge";
import { NONCE_HEADER } from "@/server/http/security-headers";
import { LanguagesProvider } from "./components/language-switch";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("meta");
  return {
    title: { default: "Komnata", template: "%s · Komnata" },
    description: t("description"),
    // installed on a phone's home screen (the manifest is app/manifest.ts)
    appleWebApp: { capable: true, title: "Komnata", statusBarStyle: "default" },
    icons: { apple: "/icons/apple-touch-icon.png" },
  };
}

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f8fafc" },
    { media: "(prefers-color-scheme: dark)", color: "#020617" },
  ],
};

// Runs before the first paint: the saved choice, else the system's, so no flash of the wrong theme.
const themeScript = `(function(){try{var t=localStorage.getItem("komnata-theme");var d=t?t==="dark":window.matchMedia("(prefers-color-scheme: dark)").matches;var e=document.documentElement;e.classList.toggle("dark",d);e.style.colorScheme=d?"dark":"light"}catch(_){}})()`;

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // the page's Content-Security-Policy allows only scripts with this request's nonce (server/http/security-headers.ts)
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  const locale = await getLocale();
  return (
    <html lang={locale} suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script of ours, needed before first paint */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="font-sans">
        {/* the client components' messages and language come from the server's (app/i18n/request.ts) */}
        <NextIntlClientProvider>
          <LanguagesProvider languages={serverBridge().languages}>{children}</LanguagesProvider>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
