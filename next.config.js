import createNextIntlPlugin from "next-intl/plugin";

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The custom server (server/index.ts) owns the process; Next.js serves pages only.
  serverExternalPackages: ["@node-rs/argon2", "better-sqlite3", "pino"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

// Translations (docs/i18n.md): the language of each request is chosen in app/i18n/request.ts.
export default createNextIntlPlugin("./app/i18n/request.ts")(nextConfig);
