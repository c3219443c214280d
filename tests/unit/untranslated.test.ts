// No words written straight into the pages: every text a person reads or hears in app/ comes from
// the messages files (docs/i18n.md). Parses each component with TypeScript and looks for words in
// JSX text and in the attributes that are read out (aria-label, title, placeholder, alt, label).
// tests/e2e/i18n.spec.ts checks the rendered pages in Russian for leftover English as well.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { expect, it } from "vitest";

const app = path.resolve(import.meta.dirname, "..", "..", "app");
const READ_OUT = new Set(["aria-label", "title", "placeholder", "alt", "label"]);
/** Letters that make a word; the product's name is the same in every language. */
const hasWords = (text: string) => /[\p{L}]{2,}/u.test(text.replace(/\bKomnata\b/g, ""));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith(".tsx") ? [full] : [];
  });
}

/** The literal text an attribute's value holds: "…", {"…"}, {`…${x}…`} (the parts outside ${}). */
function literalText(value: ts.Node | undefined): string {
  if (!value) return "";
  if (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) return value.text;
  if (ts.isTemplateExpression(value)) return [value.head.text, ...value.templateSpans.map((s) => s.literal.text)].join(" ");
  if (ts.isJsxExpression(value)) return literalText(value.expression);
  if (ts.isConditionalExpression(value)) return `${literalText(value.whenTrue)} ${literalText(value.whenFalse)}`;
  return "";
}

/** What `source` shows or reads out that is written in it rather than translated. */
function untranslated(source: ts.SourceFile, name: string): string[] {
  const found: string[] = [];
  const where = (node: ts.Node) => `${name}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && hasWords(node.text)) found.push(`${where(node)} "${node.text.trim()}"`);
    if (ts.isJsxAttribute(node) && READ_OUT.has(node.name.getText())) {
      const text = literalText(node.initializer);
      if (hasWords(text)) found.push(`${where(node)} ${node.name.getText()}="${text}"`);
    }
    // text a component prints from a literal: {"Loading…"} or {cond ? "A" : "B"}
    if (ts.isJsxExpression(node) && node.parent && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      const text = literalText(node);
      if (hasWords(text)) found.push(`${where(node)} {"${text}"}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const parse = (name: string, code: string) => ts.createSourceFile(name, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);

it("finds no untranslated text in app/", () => {
  const found = sources(app).flatMap((file) => untranslated(parse(file, readFileSync(file, "utf8")), path.relative(app, file)));
  expect(found).toEqual([]);
});

it("finds text written the wrong way", () => {
  const wrong = parse(
    "probe.tsx",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source of a component, with a template literal in it
    '<p title="Loading" aria-label={`Files of ${name}`}>Loading…{busy ? "Wait" : ""}<b>{t("ok")}</b></p>',
  );
  expect(untranslated(wrong, "probe.tsx")).toEqual([
    'probe.tsx:1 title="Loading"',
    'probe.tsx:1 aria-label="Files of  "',
    'probe.tsx:1 "Loading…"',
    'probe.tsx:1 {"Wait "}',
  ]);
});
