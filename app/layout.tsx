import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { NONCE_HEADER } from "@/server/http/security-headers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Komnata", template: "%s · Komnata" },
  description: "Self-hosted real-time team chat",
};

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
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script of ours, needed before first paint */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="font-sans">{children}</body>
    </html>
  );
}
