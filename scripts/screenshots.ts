// Takes the README's screenshots from a running server: `npx tsx scripts/screenshots.ts [baseUrl]`.
// It signs up a few demo users and has them talk, so use a throwaway DATA_DIR.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, chromium, type Page } from "@playwright/test";
import sharp from "sharp";
import { chromiumLaunchOptions } from "../tests/e2e/chromium.ts";

const base = process.argv[2] ?? "http://localhost:3000";
const out = path.resolve(import.meta.dirname, "..", "docs", "screenshots");
mkdirSync(out, { recursive: true });
const password = "demo-password";

async function signUp(
  browser: Browser,
  username: string,
  options: { dark?: boolean; phone?: boolean; russian?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: options.phone ? { width: 390, height: 780 } : { width: 1280, height: 760 },
    colorScheme: options.dark ? "dark" : "light",
    deviceScaleFactor: 1,
    locale: options.russian ? "ru-RU" : "en-US",
  });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel(options.russian ? "Имя пользователя" : "Username").fill(username);
  await page.getByLabel(options.russian ? "Пароль" : "Password").fill(password);
  await page.getByRole("button", { name: options.russian ? "Создать аккаунт" : "Create account" }).click();
  await page.waitForURL(`${base}/`);
  return page;
}

/** Reacts to message `seq` with one of the quick bar's emoji. */
async function react(page: Page, seq: number, emoji: string): Promise<void> {
  const message = page.locator(`li[data-seq="${seq}"]`);
  await message.hover();
  await message.getByTestId("message-toolbar").getByRole("button", { name: "Add reaction" }).click();
  await page.getByRole("dialog", { name: "Emoji" }).getByRole("button", { name: emoji }).click();
  await page.waitForTimeout(150);
}

/** Starts a reply to message `seq`. */
async function replyTo(page: Page, seq: number): Promise<void> {
  const message = page.locator(`li[data-seq="${seq}"]`);
  await message.hover();
  await message.getByTestId("message-toolbar").getByRole("button", { name: "Reply" }).click();
}

async function say(page: Page, text: string, box = "Message"): Promise<void> {
  // (Enter does nothing until the thread is ready to send)
  await page.getByRole("textbox", { name: box, exact: true }).fill(text);
  await page.locator('form button[type="submit"]:not([disabled])').last().waitFor();
  await page.getByRole("textbox", { name: box, exact: true }).press("Enter");
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

/** A portrait to upload: a soft gradient with a shape, in `hue`. */
async function portrait(hue: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="hsl(${hue},70%,62%)"/><stop offset="1" stop-color="hsl(${hue + 40},65%,38%)"/>
    </linearGradient></defs>
    <rect width="400" height="400" fill="url(#g)"/>
    <circle cx="200" cy="160" r="78" fill="hsla(0,0%,100%,0.85)"/>
    <ellipse cx="200" cy="380" rx="150" ry="120" fill="hsla(0,0%,100%,0.85)"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

// who they are: a display name, a status, a picture (set on the account page, as people do)
for (const [page, name, status, hue] of [
  [anna, "Anna Sokolova", "Release week 🚀", 210],
  [boris, "Boris Ivanov", "", 20],
] as const) {
  await page.goto(`${base}/settings`);
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Status").fill(status);
  await page.getByRole("button", { name: "Save profile" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  await page.getByLabel("Choose a picture").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: await portrait(hue) });
  await page.getByRole("button", { name: "Remove picture" }).waitFor();
  await page.goto(`${base}/`);
}

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
for (const page of [anna, boris, vera]) {
  await page
    .getByRole("list", { name: "Rooms" })
    .getByRole("link", { name: new RegExp(`^general-${suffix}`) })
    .click();
}
await say(anna, "Good morning, everyone! The release candidate is up on **staging**.");
await say(boris, `Morning @anna_${suffix}! Running the smoke tests now.`);
await say(
  boris,
  "All green. Latency on the new build is about **30% lower** than last week:\n```\np50   41 ms → 28 ms\np99  180 ms → 122 ms\n```",
);
await replyTo(vera, 1);
await say(vera, "Nice work. I'll update the changelog and tag `v2.4` after lunch.");
await say(anna, "Perfect, thanks both.\n> Reminder: retro at _16:00_ in the usual place.");
await react(boris, 1, "🎉");
await react(vera, 1, "🎉");
await react(anna, 3, "🔥");
await react(vera, 3, "👍");
await react(boris, 5, "👍");

for (const page of [anna, boris, vera]) await page.mouse.move(0, 0);
await anna.waitForTimeout(500);
// formatting, reactions and a reply, before the files below push them up
await anna.screenshot({ path: path.join(out, "room.png") });
// the same room in the dark theme
const dark = await browser.newContext({
  viewport: { width: 1280, height: 760 },
  colorScheme: "dark",
  deviceScaleFactor: 1,
  storageState: await anna.context().storageState(),
});
const annaDark = await dark.newPage();
await annaDark.goto(anna.url());
await annaDark.locator('li[data-seq="5"]').waitFor();
await annaDark.waitForTimeout(800);
await annaDark.screenshot({ path: path.join(out, "room-dark.png") });

// shared files: a picture (shown as a thumbnail) and a document
const files = mkdtempSync(path.join(tmpdir(), "komnata-shots-"));
const mockup = path.join(files, "homepage-mockup.png");
await sharp(
  Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1000">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#4f6bed"/><stop offset="1" stop-color="#9b5de5"/></linearGradient></defs>
    <rect width="1600" height="1000" fill="url(#g)"/>
    <rect x="120" y="110" width="1360" height="90" rx="20" fill="#fff" opacity=".9"/>
    <rect x="120" y="260" width="820" height="300" rx="28" fill="#fff" opacity=".85"/>
    <rect x="1000" y="260" width="480" height="620" rx="28" fill="#fff" opacity=".6"/>
    <rect x="120" y="620" width="390" height="260" rx="28" fill="#fff" opacity=".7"/>
    <rect x="550" y="620" width="390" height="260" rx="28" fill="#fff" opacity=".7"/>
  </svg>`),
)
  .png()
  .toFile(mockup);
const notes = path.join(files, "Release notes 2.4.pdf");
writeFileSync(notes, `%PDF-1.4\n% release notes\n${"x".repeat(180_000)}\n%%EOF\n`);
await vera.getByLabel("Files to share").setInputFiles(mockup);
await anna.getByLabel("Files to share").setInputFiles(notes);
await anna.getByRole("link", { name: "Download Release notes 2.4.pdf" }).waitFor();
await anna.getByRole("img", { name: "homepage-mockup.png" }).waitFor();

await boris.getByRole("link", { name: "Files", exact: true }).click();
await boris.getByRole("list", { name: "Files" }).waitFor();
await boris.waitForTimeout(500);
await boris.screenshot({ path: path.join(out, "files.png") });

// private conversations, then every view of the app shell at desktop and phone size, light and dark
const roomUrl = anna.url().replace(/\/files$/, "");
await anna.goto(`${base}/messages/boris_${suffix}`);
await say(anna, "Hi Boris, could you look at the deploy checklist before Friday?");
await boris.goto(`${base}/messages/anna_${suffix}`);
await say(boris, "Sure, I'll go through it this afternoon and leave comments.");
await say(anna, "Thanks! The **rollback** section is the one I'm least sure about.");
await anna.goto(`${base}/messages/vera_${suffix}`);
await say(anna, "Vera, the mockup looks great. Can we use it for the landing page?");
await vera.goto(`${base}/messages/anna_${suffix}`);
await say(vera, "Yes, go ahead. I'll send the dark variant tomorrow.");

const phoneLight = await (
  await browser.newContext({
    viewport: { width: 390, height: 780 },
    deviceScaleFactor: 1,
    hasTouch: true,
    isMobile: true,
    storageState: await boris.context().storageState(),
  })
).newPage();
const shell = path.join(out, "shell");
mkdirSync(shell, { recursive: true });
const tours: [Page, string, string, boolean][] = [
  [anna, "desktop-light", `boris_${suffix}`, false],
  [annaDark, "desktop-dark", `boris_${suffix}`, false],
  [phoneLight, "phone-light", `anna_${suffix}`, true],
  [vera, "phone-dark", `anna_${suffix}`, true],
];
const shoot = async (page: Page, name: string) => {
  await page.mouse.move(0, 0);
  await page.waitForTimeout(600);
  await page.screenshot({ path: path.join(shell, `${name}.png`) });
};
for (const [page, variant, partner, phone] of tours) {
  await page.goto(`${base}/`);
  await page.getByRole("navigation", { name: "Your rooms and conversations" }).waitFor();
  await shoot(page, `${phone ? "home" : "lobby"}-${variant}`);
  await page.goto(roomUrl);
  await page.locator('li[data-seq="5"]').waitFor();
  await shoot(page, `room-${variant}`);
  if (phone) {
    await page.getByRole("button", { name: /members/ }).click();
    await shoot(page, `members-${variant}`);
    await page.keyboard.press("Escape");
  }
  await page.getByRole("button", { name: "homepage-mockup.png", exact: true }).click();
  await page.getByRole("dialog", { name: "Picture: homepage-mockup.png" }).getByRole("img").waitFor();
  await page.waitForTimeout(600);
  await shoot(page, `viewer-${variant}`);
  await page.keyboard.press("Escape");
  await page.goto(`${base}/messages/${partner}`);
  await page.locator('li[data-seq="1"]').waitFor();
  await shoot(page, `conversation-${variant}`);
  await page.getByRole("button", { name: "Search or jump to…" }).click();
  await page.keyboard.type("e");
  await page.getByRole("dialog", { name: "Search, or go to a room or a person" }).getByRole("option").first().waitFor();
  await shoot(page, `switcher-${variant}`);
  await page.keyboard.press("Escape");
  // search: results with the words marked, then one opened in its room
  await page.goto(`${base}/search?q=${encodeURIComponent("release")}`);
  await page.getByRole("list", { name: "Results" }).waitFor();
  await shoot(page, `search-${variant}`);
}

// governing: a private room, an invitation waiting in a lobby, the invite dialog, roles, the admin page
const leads = `leads-${suffix}`;
await anna.goto(`${base}/`);
await anna.getByLabel("Room name").fill(leads);
await anna.getByLabel("Topic").fill("Planning the next quarter");
await anna.getByLabel("Private").check();
await anna.getByRole("button", { name: "Create room" }).click();
await anna.waitForURL(/\/rooms\//);
await anna.getByRole("button", { name: "Invite", exact: true }).click();
const inviting = anna.getByRole("dialog", { name: `Invite people to #${leads}` });
await inviting.getByLabel("Username").fill(`boris_${suffix}`);
await inviting.getByRole("button", { name: "Invite", exact: true }).click();
await inviting.getByRole("button", { name: "Create and copy link" }).click();
await inviting.getByRole("textbox", { name: "Invite link" }).waitFor();
await shoot(anna, "invite-desktop-light");
await anna.keyboard.press("Escape");
await boris.goto(`${base}/`);
await boris.getByRole("list", { name: "Invitations" }).waitFor();
await shoot(boris, "invitation-desktop-light");
await boris.getByRole("list", { name: "Invitations" }).getByRole("button", { name: "Join" }).click();
await boris.waitForURL(/\/rooms\//);
await anna
  .getByRole("list", { name: "Members" })
  .getByRole("button", { name: `Manage boris_${suffix}` })
  .click();
await anna.getByRole("button", { name: "Make admin" }).click();
await say(boris, "Thanks! I'll bring the numbers from Q3.");
await annaDark.goto(anna.url());
await annaDark.locator('li[data-seq="1"]').waitFor();
await shoot(annaDark, "private-room-desktop-dark");
await anna.goto(`${base}/admin`);
await anna.getByRole("region", { name: "People" }).getByRole("listitem").first().waitFor();
await shoot(anna, "admin-desktop-light");

// the same in Russian: two people whose browsers speak it
const olga = await signUp(browser, `ольга_${suffix}`, { russian: true });
const ivan = await signUp(browser, `иван_${suffix}`, { russian: true });
const team = `команда-${suffix}`;
await olga.getByLabel("Название комнаты").fill(team);
await olga.getByLabel("Тема").fill("Планы, созвоны и новости отдела");
await olga.getByRole("button", { name: "Создать комнату" }).click();
await olga.waitForURL(/\/rooms\//);
await ivan.goto(olga.url());
await say(olga, "Всем привет! Отчёт за квартал готов, выкладываю.", "Сообщение");
const report = path.join(files, "Отчёт за квартал.pdf");
writeFileSync(report, `%PDF-1.4\n% отчёт\n${"x".repeat(2_400_000)}\n%%EOF\n`);
await olga.getByLabel("Файлы для отправки").setInputFiles(report);
await olga.getByRole("link", { name: "Скачать Отчёт за квартал.pdf" }).waitFor();
await say(ivan, "Спасибо! Посмотрю до созвона в 15:00.", "Сообщение");
await say(olga, "Отлично. Вопросы пишите сюда или лично.", "Сообщение");
await olga.waitForTimeout(500);
await olga.screenshot({ path: path.join(out, "room-ru.png") });
await browser.close();
console.log(`screenshots written to ${out}`);
