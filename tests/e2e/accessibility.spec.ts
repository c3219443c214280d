// Every page, in the light and the dark theme, checked by axe-core against WCAG 2.1 A and AA:
// names, roles, contrast, landmarks, focusable things that do nothing. What a page shows only
// once opened (the quick switcher, the shortcuts, the picture viewer, the member sheet on a
// phone, the emoji picker, the account menu) is checked open.
import AxeBuilder from "@axe-core/playwright";
import { type Browser, expect, type Page } from "@playwright/test";
import sharp from "sharp";
import { apiClient, createRoom, history, makeAdmin, send, signUp, test, uniqueName } from "./helpers";

const phone = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

/** Fails with what axe found on the page as it is now, rule by rule, with where. */
async function expectAccessible(page: Page, what: string): Promise<void> {
  // the page has settled: no fade or slide in the middle of a colour
  await page.waitForTimeout(200);
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const found = violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    where: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ")}`),
  }));
  // soft: one run reports every page that fails, not only the first
  expect.soft(found, `axe on ${what}`).toEqual([]);
}

/** A room with what a room shows: two people, Markdown, a reply, a reaction, a picture; and a conversation. */
async function seed(browser: Browser, baseURL: string, dark: boolean) {
  const alice = await signUp(browser, "axe", { colorScheme: dark ? "dark" : "light" });
  const bob = await signUp(browser, "axebob");
  const room = uniqueName("a11y");
  const roomId = await createRoom(alice.page, room, "Where the checks run");
  const bot = await apiClient(baseURL, bob.username);
  await bot.emitWithAck("room:join", { roomId });
  const first = await bot.emitWithAck("message:send", {
    roomId,
    body: "Hello **everyone**, see [the docs](https://example.com) and `npm test`:\n\n```ts\nconst answer = 42;\n```",
    clientMsgId: "axe-1",
  });
  await bot.emitWithAck("message:send", { roomId, body: "Agreed", clientMsgId: "axe-2", replyTo: first.message.id });
  await bot.emitWithAck("reaction:add", { roomId, messageId: first.message.id, emoji: "👍" });
  await bot.emitWithAck("dm:send", { toUsername: alice.username, body: "a private word", clientMsgId: "axe-3" });
  const png = await sharp({ create: { width: 640, height: 400, channels: 3, background: "#2a9d8f" } })
    .png()
    .toBuffer();
  await alice.page.getByLabel("Files to share").setInputFiles({ name: "diagram.png", mimeType: "image/png", buffer: png });
  await expect(history(alice.page).getByRole("img", { name: "diagram.png" })).toBeVisible();
  await send(alice.page, "Thanks, looking now");
  await expect(history(alice.page)).toContainText("Thanks, looking now");
  bot.disconnect();
  return { alice, bob, room, roomId };
}

for (const dark of [false, true]) {
  const theme = dark ? "dark" : "light";

  test(`every page passes axe in the ${theme} theme`, async ({ browser, baseURL }) => {
    test.setTimeout(180_000);
    const signIn = await (await browser.newContext({ colorScheme: dark ? "dark" : "light" })).newPage();
    await signIn.goto("/login");
    await expectAccessible(signIn, `the sign-in page (${theme})`);

    const { alice, bob, roomId } = await seed(browser, baseURL ?? "", dark);
    const { page } = alice;
    await expect(page.locator("html")).toHaveClass(dark ? /dark/ : /^(?!.*dark)/);
    await expectAccessible(page, `a room (${theme})`);

    // what a room opens over itself
    const message = history(page).locator("li[data-seq]").first();
    await message.hover();
    await message.getByTestId("message-toolbar").getByRole("button", { name: "Add reaction" }).click();
    await expect(page.getByRole("dialog", { name: "Emoji" })).toBeVisible();
    await expectAccessible(page, `the emoji picker (${theme})`);
    await page.keyboard.press("Escape");
    await history(page).getByRole("button", { name: "diagram.png", exact: true }).click();
    await expect(page.getByRole("dialog", { name: "Picture: diagram.png" })).toBeVisible();
    await expectAccessible(page, `the picture viewer (${theme})`);
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+k");
    await page.keyboard.type(bob.username.slice(0, 4));
    await expect(
      page.getByRole("dialog", { name: "Search, or go to a room or a person" }).getByRole("option").first(),
    ).toBeVisible();
    await expectAccessible(page, `the quick switcher (${theme})`);
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+/");
    await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
    await expectAccessible(page, `the shortcuts (${theme})`);
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: /^Account: / }).click();
    await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
    await expectAccessible(page, `the account menu (${theme})`);
    await page.getByRole("button", { name: "Notifications…" }).click();
    await page.getByRole("dialog", { name: "Notifications" }).getByLabel("Quiet hours: nothing notifies me").check();
    await expect(page.getByRole("dialog", { name: "Notifications" }).getByLabel("From")).toBeVisible();
    await expectAccessible(page, `the notification settings (${theme})`);
    await page.keyboard.press("Escape");
    // what a room's owner opens: invitations, its settings, a member's actions, the pins; a profile card
    await page.getByRole("button", { name: "Invite", exact: true }).click();
    await page
      .getByRole("dialog", { name: /^Invite people/ })
      .getByRole("button", { name: "Create and copy link" })
      .click();
    await expect(page.getByRole("textbox", { name: "Invite link" })).toBeVisible();
    await expectAccessible(page, `the invite dialog (${theme})`);
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Settings" }).click();
    await expect(page.getByRole("dialog", { name: /settings$/ }).getByText("Nobody is banned.")).toBeVisible();
    await expectAccessible(page, `a room's settings (${theme})`);
    await page.keyboard.press("Escape");
    await page
      .getByRole("list", { name: "Members" })
      .getByRole("button", { name: `Manage ${bob.username}` })
      .click();
    await expect(page.getByRole("dialog", { name: bob.username })).toBeVisible();
    await expectAccessible(page, `a member's actions (${theme})`);
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Pinned" }).click();
    await expect(page.getByRole("dialog", { name: /^Pinned in/ })).toBeVisible();
    await expectAccessible(page, `the pinned messages (${theme})`);
    await page.keyboard.press("Escape");
    await page.getByRole("list", { name: "Members" }).getByRole("button", { name: bob.username, exact: true }).click();
    await expect(page.getByRole("dialog", { name: `${bob.username}'s profile` })).toBeVisible();
    await expectAccessible(page, `a profile card (${theme})`);
    await page.keyboard.press("Escape");

    await page.goto("/settings");
    await expect(page.getByLabel("Display name")).toBeVisible();
    await expectAccessible(page, `the account settings (${theme})`);
    makeAdmin(alice.username);
    await page.goto("/admin");
    await expect(page.getByRole("region", { name: "People" }).getByRole("listitem").first()).toBeVisible();
    await expect(page.getByRole("region", { name: "Server" }).getByRole("button", { name: "Save settings" })).toBeVisible();
    await expectAccessible(page, `the admin page (${theme})`);

    await page.goto("/");
    await expect(page.getByRole("main").getByRole("list", { name: "Rooms", exact: true })).toBeVisible();
    await expectAccessible(page, `the lobby (${theme})`);
    await page.goto(`/messages/${bob.username}`);
    await expect(history(page)).toContainText("a private word");
    await expectAccessible(page, `a conversation (${theme})`);
    await page.goto(`/rooms/${roomId}/files`);
    await expect(page.getByRole("link", { name: "Download diagram.png" })).toBeVisible();
    await expectAccessible(page, `a room's files (${theme})`);
    await page.goto(`/messages/${bob.username}/files`);
    await expect(page.getByRole("heading", { name: "Shared files" })).toBeVisible();
    await expectAccessible(page, `a conversation's files (${theme})`);
    await page.goto("/files");
    await expect(page.getByRole("link", { name: "Download diagram.png" })).toBeVisible();
    await expectAccessible(page, `all files (${theme})`);
    // search: results (a formatted message, a file's name, the words marked), and the empty page
    await page.goto("/search?q=looking");
    await expect(page.getByRole("list", { name: "Results" }).locator("mark")).toHaveText(["looking"]);
    await expectAccessible(page, `search results (${theme})`);
    await page.goto("/search?q=everyone");
    await expect(page.getByRole("list", { name: "Results" }).locator("mark").first()).toBeVisible();
    await expectAccessible(page, `search results with formatting (${theme})`);
    await page.goto("/search?q=diagram");
    await expect(page.getByRole("list", { name: "Results" }).locator("mark")).toHaveText(["diagram"]);
    await expectAccessible(page, `a file found by its name (${theme})`);
    await page.goto("/search");
    await expect(page.getByRole("heading", { name: "Narrow a search" })).toBeVisible();
    await expectAccessible(page, `the search page (${theme})`);
    await page.goto("/no-such-page");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectAccessible(page, `the missing page (${theme})`);

    // a phone: the home screen, a room with its member sheet open
    const small = await signUp(browser, "axephone", { ...phone, colorScheme: dark ? "dark" : "light" });
    await small.page.goto(`/rooms/${roomId}`);
    await expect(history(small.page)).toContainText("Thanks, looking now");
    await small.page.getByRole("button", { name: /members/ }).click();
    await expect(small.page.locator("#room-members")).toBeVisible();
    await expectAccessible(small.page, `a room on a phone, members open (${theme})`);
    await small.page.goto("/");
    await expect(small.page.getByRole("navigation", { name: "Your rooms and conversations" })).toBeVisible();
    await expectAccessible(small.page, `the phone's home (${theme})`);
  });
}
