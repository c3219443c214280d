// The terminal client's language: `--lang`, else the locale of the environment (LC_ALL, then
// LC_MESSAGES, then LANG: `ru_RU.UTF-8` is Russian), else English. Its words are in the same
// messages files as the pages' (the `terminal` namespace, and `errors` by code).
import { createTranslator } from "use-intl/core";
import { DEFAULT_LOCALE, errorKey, errorValues, negotiate } from "../../server/i18n/choose.ts";
import { languages, messagesOf } from "../../server/i18n/languages.ts";

/** A message of the terminal's (`terminal.*`) or any other (`errors.*`), with its values. */
export interface Say {
  (key: string, values?: Record<string, string | number>): string;
  has(key: string): boolean;
}

/** The language to speak, of those with a messages file. */
export function terminalLocale(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const supported = languages().map((l) => l.locale);
  if (flag !== undefined) {
    const chosen = negotiate(flag, supported);
    if (!chosen) throw new Error(`--lang: one of ${supported.join(", ")}`);
    return chosen;
  }
  // POSIX: the first one set wins; "C" and "POSIX" mean no language
  const posix = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== "");
  if (!posix || posix === "C" || posix === "POSIX") return DEFAULT_LOCALE;
  const tag = posix.split(".")[0].split("@")[0].replace("_", "-");
  return negotiate(tag, supported) ?? DEFAULT_LOCALE;
}

export function sayer(locale: string): Say {
  const t = createTranslator({ locale, messages: messagesOf(locale) });
  return Object.assign((key: string, values?: Record<string, string | number>) => t(key as never, values as never), {
    has: (key: string) => t.has(key as never),
  });
}

/** A refused request or failed call in words (`context`: where it happened, for a better sentence). */
export function problemText(say: Say, error: unknown, context?: string, extra: Record<string, string | number> = {}): string {
  const { code, retryAfter } = (error ?? {}) as { code?: unknown; retryAfter?: unknown };
  return say(errorKey(typeof code === "string" ? code : "internal", context, say.has), errorValues(retryAfter, extra));
}
