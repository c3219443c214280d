// The translations: every language has every message the English file has, each one valid ICU
// with the same arguments, Russian plurals right; and how a language is chosen.
import IntlMessageFormat from "intl-messageformat";
import { describe, expect, it } from "vitest";
import { sayer } from "../../scripts/client/words.ts";
import { chooseLocale, negotiate } from "../../server/i18n/choose.ts";
import { languages, messagesOf } from "../../server/i18n/languages.ts";

type Tree = { [key: string]: string | Tree };

/** Every message of a file, by its dotted key. */
function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** The arguments and tags a message uses ({count}, <link>). */
function argumentsOf(message: string, locale: string): string[] {
  const names = new Set<string>();
  const walk = (elements: unknown[]) => {
    for (const e of elements as {
      type: number;
      value?: string;
      children?: unknown[];
      options?: Record<string, { value: unknown[] }>;
    }[]) {
      if (e.value !== undefined && e.type !== 0 && e.type !== 7) names.add(e.value);
      if (e.children) walk(e.children);
      if (e.options) for (const option of Object.values(e.options)) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(message, locale, undefined, { ignoreTag: false }).getAst());
  return [...names].sort();
}

const english = flatten(messagesOf("en") as Tree);

describe("messages", () => {
  it("are there for English and Russian at least, named in their own language", () => {
    expect(languages()).toEqual(
      expect.arrayContaining([
        { locale: "en", name: "English" },
        { locale: "ru", name: "Русский" },
      ]),
    );
    expect(languages()[0].locale).toBe("en");
  });

  for (const { locale } of languages()) {
    it(`${locale}: the same keys as English, each valid ICU with the same arguments`, () => {
      const own = flatten(messagesOf(locale) as Tree);
      expect([...own.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [key, message] of own) {
        expect(argumentsOf(message, locale), `${locale} ${key}`).toEqual(argumentsOf(english.get(key) as string, "en"));
      }
    });
  }

  it("says Russian counts the way Russian does", () => {
    const t = sayer("ru");
    const members = (count: number) => t("room.members", { count });
    expect([1, 3, 11, 21, 22, 25].map(members)).toEqual([
      "1 участник",
      "3 участника",
      "11 участников",
      "21 участник",
      "22 участника",
      "25 участников",
    ]);
    const unread = (count: number) => t("directMessages.unread", { count });
    expect([1, 2, 5, 21].map(unread)).toEqual([
      "1 непрочитанное сообщение",
      "2 непрочитанных сообщения",
      "5 непрочитанных сообщений",
      "21 непрочитанное сообщение",
    ]);
    expect(t("errors.rate_limited", { seconds: 2 })).toBe("Слишком часто. Попробуйте через 2 секунды.");
    expect(t("errors.rate_limited", { seconds: 5 })).toBe("Слишком часто. Попробуйте через 5 секунд.");
  });

  it("says English counts the way English does", () => {
    const t = sayer("en");
    expect([1, 2].map((count) => t("room.members", { count }))).toEqual(["1 member", "2 members"]);
    expect(t("directMessages.unread", { count: 1 })).toBe("1 unread message");
  });
});

describe("choosing a language", () => {
  const supported = ["en", "ru"];

  it("takes the best of Accept-Language by weight, matching regions to their language", () => {
    expect(negotiate("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", supported)).toBe("ru");
    expect(negotiate("de-DE,de;q=0.9,ru;q=0.5,en;q=0.3", supported)).toBe("ru");
    expect(negotiate("en;q=0.2, ru;q=0.8", supported)).toBe("ru");
    expect(negotiate("fr, de", supported)).toBeNull();
    expect(negotiate("*", supported)).toBe("en");
    expect(negotiate("ru;q=0", supported)).toBeNull();
    expect(negotiate("", supported)).toBeNull();
    expect(negotiate("garbage;;;q=x, ,", supported)).toBeNull();
  });

  it("puts the account's choice first, then the cookie, then the browser, then English", () => {
    expect(chooseLocale(supported, { account: "ru", cookie: "en", acceptLanguage: "en" })).toBe("ru");
    expect(chooseLocale(supported, { account: null, cookie: "ru", acceptLanguage: "en" })).toBe("ru");
    expect(chooseLocale(supported, { cookie: "xx", acceptLanguage: "ru-RU" })).toBe("ru");
    expect(chooseLocale(supported, { account: "tlh", acceptLanguage: "ja" })).toBe("en");
    expect(chooseLocale(supported, {})).toBe("en");
  });
});
