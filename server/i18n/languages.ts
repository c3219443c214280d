// Which languages Komnata speaks: one file per language in messages/ (`ru.json` is Russian), so a
// third language is a translation file and nothing else (docs/i18n.md). Read by the custom
// server (which tells the pages through the bridge) and the terminal client.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_LOCALE, type Language } from "./choose.ts";

export const MESSAGES_DIR = path.resolve(import.meta.dirname, "..", "..", "messages");

/** Every language with a messages file, the default first. */
export function languages(dir = MESSAGES_DIR): Language[] {
  return readdirSync(dir)
    .filter((f) => /^[a-z]{2,3}(-[A-Z]{2})?\.json$/.test(f))
    .map((f) => {
      const locale = f.slice(0, -".json".length);
      const messages = JSON.parse(readFileSync(path.join(dir, f), "utf8")) as { language?: { name?: string } };
      return { locale, name: messages.language?.name ?? locale };
    })
    .sort((a, b) => (a.locale === DEFAULT_LOCALE ? -1 : b.locale === DEFAULT_LOCALE ? 1 : a.locale.localeCompare(b.locale)));
}

/** One language's messages, as the files hold them (nested objects of ICU strings). */
export function messagesOf(locale: string, dir = MESSAGES_DIR): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(dir, `${locale}.json`), "utf8")) as Record<string, unknown>;
}
