export type Provider = "sqlite" | "postgresql";

export function providerOf(databaseUrl: string): Provider {
  if (databaseUrl.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgresql";
  throw new Error(`DATABASE_URL must start with file: or postgresql:// (got "${databaseUrl.split(":")[0]}:")`);
}

/** The SQLite file path of a `file:` URL, relative paths taken from the working directory. */
export function sqlitePath(databaseUrl: string): string {
  return databaseUrl.slice("file:".length).split("?")[0];
}

/** What names one database whatever the URL's host spelling and credentials: its name, or its file. */
export function databaseIdentity(databaseUrl: string): string {
  return providerOf(databaseUrl) === "sqlite" ? sqlitePath(databaseUrl) : new URL(databaseUrl).pathname.slice(1);
}
