import { chromium, type Page } from "@playwright/test";
import { chromiumLaunchOptions } from "./tests/e2e/chromium.ts";
const base = "http://localhost:3300";
const browser = await chromium.launch(chromiumLaunchOptions);
const s = Date.now().toString(36).slice(-4);
async function user(name: string, dark = false) {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 760 }, colorScheme: dark ? "dark" : "light" });
  const page = await ctx.newPage();
  page.on("console", (m) => { if (m.type() === "error") console.log("console:", m.text()); });
  await page.goto(`${base}/login`);
  await page.getByLabel("Username").fill(name);
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${base}/`);
  return page;
}
async function say(page: Page, text: string) {
  await page.getByRole("textbox", { name: "Message", exact: true }).fill(text);
  await page.getByRole("textbox", { name: "Message", exact: true }).press("Enter");
  await page.waitForTimeout(200);
}
const a = await user(`anna${s}`);
const b = await user(`boris${s}`, true);
await a.getByLabel("Room name").fill(`md-${s}`);
await a.getByRole("button", { name: "Create room" }).click();
await a.waitForURL(/\/rooms\//);
await b.goto(a.url());
await say(a, "Release plan for **Friday**:\n- freeze at _noon_\n- tag `v2.4` after the ~~smoke~~ tests\n\nDetails: https://example.com/release");
await say(b, "```ts\nconst ok = await deploy({ env: \"staging\" });\nif (!ok) rollback();\n```");
await say(a, "> Is the changelog ready?\n<b>not html</b> [bad](javascript:alert(1))");
// b reacts to a's first message
const first = b.locator("li[data-seq='1']");
await first.hover();
await first.getByRole("button", { name: "Add reaction" }).click();
await b.getByRole("button", { name: "🎉" }).click();
await first.hover();
await first.getByRole("button", { name: "Reply" }).click();
await say(b, "Friday works. I'll take the tag.");
await a.waitForTimeout(800);
// a reacts via full picker
const firstA = a.locator("li[data-seq='1']");
await firstA.getByRole("button", { name: /🎉/ }).click();
await firstA.hover();
await firstA.getByTestId("message-toolbar").getByRole("button", { name: "Add reaction" }).click();
await a.getByRole("button", { name: "More emoji…" }).click();
await a.waitForTimeout(1500); await a.screenshot({ path: "/tmp/shots/picker0.png" }); await a.getByRole("searchbox", { name: "Search emoji" }).fill("rocket");
await a.waitForTimeout(1500);
await a.screenshot({ path: "/tmp/shots/picker.png" });
await a.getByRole("gridcell", { name: /rocket/i }).first().click();
await a.waitForTimeout(800);
await a.screenshot({ path: "/tmp/shots/a.png" });
await b.waitForTimeout(300);
await b.screenshot({ path: "/tmp/shots/b.png" });
// menu
const m4 = a.locator("li[data-seq='4']");
await m4.hover();
await m4.getByRole("button", { name: "More actions" }).click();
await a.screenshot({ path: "/tmp/shots/menu.png" });
await browser.close();
