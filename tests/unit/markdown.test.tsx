// Message bodies rendered as Markdown, with hostile input (issue 11): nothing a sender types runs,
// loads or links anywhere unsafe, and what people mean by Markdown in chat is rendered.

import { NextIntlClientProvider } from "next-intl";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MessageBody, safeHref } from "../../app/components/thread/message-body.tsx";
import messages from "../../messages/en.json" with { type: "json" };

const render = (body: string) =>
  renderToStaticMarkup(
    <NextIntlClientProvider locale="en" timeZone="UTC" messages={messages}>
      <MessageBody body={body} />
    </NextIntlClientProvider>,
  );

describe("message Markdown", () => {
  it("renders what people type in chat", () => {
    const html = render("**bold** _it_ ~~gone~~ `code`\n> quoted\n\n- one\n- two\n\n1. first");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<em>it</em>");
    expect(html).toContain("<del>gone</del>");
    expect(html).toContain("<code>code</code>");
    expect(html).toContain("<blockquote>");
    expect(html).toMatch(/<ul>\s*<li>one<\/li>/);
    expect(html).toContain("<ol>");
  });

  it("keeps single line breaks and turns bare URLs into links that open apart and tell nothing", () => {
    const html = render("line one\nline two https://example.com/a?b=1");
    expect(html).toContain("line one<br/>");
    expect(html).toContain(
      '<a href="https://example.com/a?b=1" class="text-brand-600 underline decoration-brand-600/40 hover:decoration-brand-600 dark:text-brand-100" target="_blank" rel="noopener noreferrer nofollow">https://example.com/a?b=1</a>',
    );
  });

  it("shows raw HTML as the text it is, at any depth", () => {
    for (const hostile of [
      '<img src=x onerror="alert(1)">',
      "<script>alert(1)</script>",
      "<div><p><iframe src=//evil></iframe></p></div>",
      "**<svg onload=alert(1)>**",
      "> <a href=javascript:alert(1)>x</a>",
    ]) {
      // inside the body's own wrapper
      const html = render(hostile).replace(/^<div class="[^"]*"><div translate="no" class="contents">/, "");
      expect(html, hostile).not.toMatch(/<(img|script|iframe|svg|div)\b/i);
      expect(html, hostile).not.toMatch(/<a [^>]*javascript/i);
      expect(html, hostile).toContain("&lt;");
    }
  });

  it("never links javascript:, data: or vbscript: URLs, however written", () => {
    for (const hostile of [
      "[click](javascript:alert(1))",
      "[click](JaVaScRiPt:alert(1))",
      "[click](  javascript:alert(1))",
      "[click](data:text/html;base64,PHNjcmlwdD4=)",
      "[click](vbscript:msgbox)",
      "[click](//evil.example/x)",
      "<javascript:alert(1)>",
      "[ref][1]\n\n[1]: javascript:alert(1)",
    ]) {
      const html = render(hostile);
      expect(html, hostile).not.toMatch(/href="(?!https?:|mailto:)/i);
    }
    expect(safeHref("mailto:a@example.com")).toBe("mailto:a@example.com");
    expect(safeHref("/rooms/abc?m=4")).toBe("/rooms/abc?m=4");
  });

  it("never fetches an image: it becomes a link named by its alt text", () => {
    const html = render("![a cat](https://example.com/cat.png) ![x](javascript:alert(1))");
    expect(html).not.toContain("<img");
    expect(html).toContain('href="https://example.com/cat.png"');
    expect(html).toContain(">a cat</a>");
    expect(html).not.toContain("javascript");
  });

  it("renders a fenced code block plain (highlighted later) with a copy button, however large", () => {
    const code = `const x = "<b>";\n${"x = 1;\n".repeat(2000)}`;
    const html = render(`\`\`\`js\n${code}\n\`\`\``);
    expect(html.includes("const x = &quot;&lt;b&gt;&quot;;"), "the code, as text").toBe(true);
    expect(html.includes(">Copy</button>"), "the copy button").toBe(true);
    expect(html.includes("max-h-96 overflow-auto"), "scrolls in place").toBe(true);
  });

  it("does not make headings, only bold lines", () => {
    const html = render("# Big\n## Smaller");
    expect(html).not.toMatch(/<h\d/);
    expect(html).toContain('<p class="font-bold">Big</p>');
  });
});
