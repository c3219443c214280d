// Choosing a language, without reading anything: the pages (bundled by Next.js) and the custom
// server both use it. Which languages exist is in languages.ts (docs/i18n.md).

/** The language everything falls back to, and the one the messages are written in first. */
export const DEFAULT_LOCALE = "en";
/** The cookie that keeps a choice made before signing in (and on this browser after). */
export const LOCALE_COOKIE = "komnata-locale";

export interface Language {
  /** a BCP 47 tag: the name of its file in messages/ */
  locale: string;
  /** the language's name in itself ("Русский"), for the switch */
  name: string;
}

/**
 * The best supported language for an `Accept-Language` header (RFC 9110: tags by weight; a tag
 * matches a language with the same primary subtag, `ru-RU` → `ru`), or null.
 */
export function negotiate(header: string | null | undefined, supported: string[]): string | null {
  if (!header) return null;
  const wanted = header
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((w) => w.tag !== "" && w.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of wanted) {
    if (tag === "*") return supported[0] ?? null;
    const exact = supported.find((s) => s.toLowerCase() === tag);
    if (exact) return exact;
    const primary = tag.split("-")[0];
    const near = supported.find((s) => s.toLowerCase().split("-")[0] === primary);
    if (near) return near;
  }
  return null;
}

/**
 * The language to speak, of `supported`: the account's choice, else the browser's cookie, else
 * its Accept-Language, else English.
 */
export function chooseLocale(
  supported: string[],
  choices: { account?: string | null; cookie?: string | null; acceptLanguage?: string | null },
): string {
  for (const choice of [choices.account, choices.cookie]) if (choice && supported.includes(choice)) return choice;
  return negotiate(choices.acceptLanguage, supported) ?? DEFAULT_LOCALE;
}

/**
 * The message that says an error `code` best (docs/i18n.md): `errors.<context>.<code>` where the
 * place it happened has its own sentence, else `errors.<code>`, else `errors.internal`.
 */
export function errorKey(code: string, context: string | undefined, has: (key: string) => boolean): string {
  if (context && has(`errors.${context}.${code}`)) return `errors.${context}.${code}`;
  return has(`errors.${code}`) ? `errors.${code}` : "errors.internal";
}

/** The values every error message may use: `seconds` until a retry (at least 1). */
export function errorValues(retryAfter: unknown, extra: Record<string, string | number> = {}): Record<string, string | number> {
  return { ...extra, seconds: Math.max(1, Math.ceil(typeof retryAfter === "number" ? retryAfter : 1)) };
}
