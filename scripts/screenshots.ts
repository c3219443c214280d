// Takes the README's screenshots from a running server: `npx tsx scripts/screenshots.ts [baseUrl]`.
// It signs up a few demo users and has them talk, so use a throwaway DATA_DIR.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Page } from "@playwright/test";
import { chromiumLaunchOptions } from "../tests/e2e/chromium.ts";

const base = process.argv[2] ?? "http://localhost:3000";
const out = path.resolve(import.meta.dirname, "..", "docs", "screenshots");
mkdirSync(out, { recursive: true });
const password = "demo-password";

async function signUp(browser: Browser, username: string, options: { dark?: boolean; phone?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: options.phone ? { width: 390, height: 780 } : { width: 1280, height: 760 },
    colorScheme: options.dark ? "dark" : "light",
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${base}/`);
  return page;
}

async function say(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("textbox", { name: "Message" }).press("Enter");
  await page.waitForTimeout(150);
}

const browser = await chromium.launch(chromiumLaunchOptions);
const login = await (await browser.newContext({ viewport: { width: 1280, height: 760 } })).newPage();
await login.goto(`${base}/login`);
await login.screenshot({ path: path.join(out, "login.png") });

const suffix = Date.now().toString(36).slice(-3);
const anna = await signUp(browser, `anna_${suffix}`);
const boris = await signUp(browser, `boris_${suffix}`);
const vera = await signUp(browser, `vera_${suffix}`, { dark: true, phone: true });

for (const [name, topic] of [
  [`design-${suffix}`, "Mockups, reviews and the colour of the logo"],
  [`ops-${suffix}`, "Deploys, incidents and on-call handovers"],
  [`general-${suffix}`, "Company-wide announcements and chatter"],
]) {
  await anna.getByLabel("Room name").fill(name);
  await anna.getByLabel("Topic").fill(topic);
  await anna.getByRole("button", { name: "Create room" }).click();
  await anna.waitForURL(/\/rooms\//);
  await anna.goto(`${base}/`);
}
await anna.getByRole("link", { name: new RegExp(`general-${suffix}`) }).click();
await boris.getByRole("link", { name: new RegExp(`general-${suffix}`) }).click();
await vera.getByRole("link", { name: new RegExp(`general-${suffix}`) }).click();
await say(anna, "Good morning, everyone! The release candidate is up on staging.");
await say(boris, "Morning! Running the smoke tests now.");
await say(boris, "All green. Latency on the new build is about 30% lower than last week.");
await say(vera, "Nice work. I'll update the changelog and tag it after lunch.");
await say(anna, "Perfect, thanks both.\nReminder: retro at 16:00 in the usual place.");
await anna.waitForTimeout(500);
await anna.screenshot({ path: path.join(out, "room.png") });
await vera.waitForTimeout(300);
await vera.screenshot({ path: path.join(out, "room-phone-dark.png") });
await boris.goto(`${base}/`);
await boris.waitForTimeout(800);
await boris.screenshot({ path: path.join(out, "lobby.png") });
await browser.close();
console.log(`screenshots written to ${out}`);
