// Prisma 6.19 offline recipe (docs/decisions/001-prisma-6-offline.md): the WebAssembly
// schema engine through a driver adapter, so the CLI never downloads a native engine.
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  async adapter() {
    const url = process.env.DATABASE_URL ?? "file:./data/komnata.db";
    return new PrismaBetterSQLite3({ url: url.replace(/^file:/, "") });
  },
});
