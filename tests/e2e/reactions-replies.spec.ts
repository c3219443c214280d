// Reactions, replies, formatting and links to messages between two browsers (issue 11): live on
// both, the same after a reload, and nothing a sender types turns into markup.
import { expect, type Page } from "@playwright/test";
import { apiClient, createRoom, history, lobbyList, roomLink, send, signUp, test, uniqueName } from "./helpers";

const message = (page: Page, seq: number) => history(page).locator(`li[data-seq="${seq}"]`);
const toolbar = (page: Page, seq: number) => message(page, seq).getByTestId("message-toolbar");
const reaction = (page: Page, seq: number, emoji: string) =>
  message(page, seq)
    .getByTestId("reactions")
    .getByRole("button", { name: new RegExp(`^${emoji}: `) });

test("two people react, reply and format; both see it live and after a reload", async ({ browser }) => {
  const alice = await signUp(browser, "reactor");
  const bob = await signUp(browser, "replier");
  const room = uniqueName("react");
  await createRoom(alice.page, room);
  await roomLink(bob.page, room).click();
  await expect(bob.page.getByRole("heading", { name: `# ${room}` })).toBeVisible();

  await send(
    alice.page,
    "Release on **Friday**\n- freeze at _noon_\n\nNotes: https://example.com/notes <img src=x onerror=alert(1)> [x](javascript:alert(1))",
  );
  await send(alice.page, "```ts\nconst ok = deploy();\n```\n```\np50  41 ms → 28 ms\n```");
  // formatting, as Bob sees it: words, not marks; a safe link; HTML as text; no javascript: link
  await expect(message(bob.page, 1).locator("strong")).toHaveText("Friday");
  await expect(message(bob.page, 1).locator("em")).toHaveText("noon");
  const link = message(bob.page, 1).getByRole("link", { name: "https://example.com/notes" });
  await expect(link).toHaveAttribute("target", "_blank");
  await expect(link).toHaveAttribute("rel", "noopener noreferrer nofollow");
  await expect(message(bob.page, 1)).toContainText("<img src=x onerror=alert(1)>");
  await expect(message(bob.page, 1).locator("img")).toHaveCount(0);
  await expect(message(bob.page, 1).getByRole("link")).toHaveCount(1);
  // highlighted once the highlighter is here; a block in no language it knows stays as written
  await expect(message(bob.page, 2).locator("pre code").first().locator(".hljs-keyword").first()).toHaveText("const");
  await expect(message(bob.page, 2).locator("pre code").first()).toHaveText("const ok = deploy();");
  await expect(message(bob.page, 2).locator("pre code").nth(1)).toHaveText("p50  41 ms → 28 ms");
  await expect(message(bob.page, 2).getByRole("button", { name: "Copy" })).toHaveCount(2);

  // Bob reacts from the quick bar; Alice adds hers by clicking it, then takes it back
  await message(bob.page, 1).hover();
  await toolbar(bob.page, 1).getByRole("button", { name: "Add reaction" }).click();
  await bob.page.getByRole("dialog", { name: "Emoji" }).getByRole("button", { name: "👍" }).click();
  await expect(reaction(alice.page, 1, "👍")).toContainText("1");
  await expect(reaction(alice.page, 1, "👍")).toHaveAttribute("aria-pressed", "false");
  await expect(reaction(alice.page, 1, "👍")).toHaveAttribute("title", `${bob.username} reacted with 👍`);
  await reaction(alice.page, 1, "👍").click();
  await expect(reaction(bob.page, 1, "👍")).toContainText("2");
  await expect(reaction(alice.page, 1, "👍")).toHaveAttribute("aria-pressed", "true");
  await reaction(alice.page, 1, "👍").click();
  await expect(reaction(bob.page, 1, "👍")).toContainText("1");

  // any emoji from the full picker, found by searching
  await message(alice.page, 2).hover();
  await toolbar(alice.page, 2).getByRole("button", { name: "Add reaction" }).click();
  await alice.page.getByRole("button", { name: "More emoji…" }).click();
  await alice.page.getByRole("searchbox", { name: "Search emoji" }).fill("rocket");
  await alice.page.getByRole("gridcell", { name: "rocket" }).click();
  await expect(reaction(bob.page, 2, "🚀")).toContainText("1");

  // Bob replies to the first message: the quote shows its first line, the original counts it
  await message(bob.page, 1).hover();
  await toolbar(bob.page, 1).getByRole("button", { name: "Reply" }).click();
  await expect(bob.page.getByTestId("replying-to")).toContainText(`Replying to ${alice.username}`);
  await expect(bob.page.getByTestId("replying-to")).toContainText("Release on Friday");
  await send(bob.page, "Friday works for me");
  await expect(bob.page.getByTestId("replying-to")).toHaveCount(0);
  for (const page of [alice.page, bob.page]) {
    await expect(message(page, 3).getByTestId("reply-quote")).toContainText(`${alice.username} Release on Friday`);
    await expect(message(page, 1)).toContainText("1 reply");
  }

  // a reload shows all of it as it was
  await alice.page.reload();
  await expect(message(alice.page, 1).locator("strong")).toHaveText("Friday");
  await expect(reaction(alice.page, 1, "👍")).toContainText("1");
  await expect(reaction(alice.page, 2, "🚀")).toHaveAttribute("aria-pressed", "true");
  await expect(message(alice.page, 3).getByTestId("reply-quote")).toContainText("Release on Friday");
  await expect(message(alice.page, 1)).toContainText("1 reply");
});

test("a reply's quote and a link to a message open the original, loading older history, highlighted", async ({
  browser,
  baseURL,
}) => {
  const alice = await signUp(browser, "linker");
  await alice.page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const room = uniqueName("links");
  const roomId = await createRoom(alice.page, room);
  // far back: the first message, then 80 more, then a reply to the first
  const bot = await apiClient(baseURL as string, alice.username);
  const first = await bot.emitWithAck("message:send", { roomId, body: "The original plan\nsecond line", clientMsgId: "first" });
  if (!first.ok) throw new Error(first.error.message);
  for (let i = 1; i <= 80; i++) {
    expect((await bot.emitWithAck("message:send", { roomId, body: `filler ${i}`, clientMsgId: `filler-${i}` })).ok).toBe(true);
  }
  const reply = { roomId, body: "Back to the start", clientMsgId: "reply", replyTo: first.message.id };
  expect((await bot.emitWithAck("message:send", reply)).ok).toBe(true);
  bot.disconnect();

  // the reply is on the newest page, its original is not: its quote loads back to it
  await alice.page.reload();
  await expect(message(alice.page, 82)).toContainText("Back to the start");
  await expect(message(alice.page, 1)).toHaveCount(0);
  await message(alice.page, 82).getByTestId("reply-quote").click();
  await expect(message(alice.page, 1)).toHaveAttribute("data-highlighted", "true");
  await expect(message(alice.page, 1)).toBeInViewport();
  await expect(message(alice.page, 1)).toContainText("1 reply");

  // "Copy link to message" gives a link that opens the room there, highlighted, after a reload
  await message(alice.page, 40).hover();
  await toolbar(alice.page, 40).getByRole("button", { name: "More actions" }).click();
  await message(alice.page, 40).getByRole("menuitem", { name: "Copy link to message" }).click();
  await expect(alice.page.getByRole("status")).toHaveText("Link copied");
  const copied = await alice.page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(`${new URL(alice.page.url()).origin}/rooms/${roomId}?m=40`);
  await alice.page.goto(copied);
  await expect(message(alice.page, 40)).toHaveAttribute("data-highlighted", "true");
  await expect(message(alice.page, 40)).toBeInViewport();
});

test("the tab title counts unread messages in every room and conversation, live", async ({ browser, baseURL }) => {
  const alice = await signUp(browser, "titler");
  const bob = await signUp(browser, "glancer");
  const room = uniqueName("title");
  const roomId = await createRoom(alice.page, room);
  await roomLink(bob.page, room).click();
  await expect(bob.page.getByRole("heading", { name: `# ${room}` })).toBeVisible();
  await bob.page.getByRole("link", { name: "Lobby", exact: true }).click();
  await expect(bob.page).toHaveTitle("Lobby · Komnata");

  await send(alice.page, "one");
  await send(alice.page, "two");
  await alice.page.goto(`/messages/${bob.username}`);
  await send(alice.page, "psst");
  // the private message calls for me: it is counted as a mention too
  await expect(bob.page).toHaveTitle("(@1 · 3) Lobby · Komnata");
  // and on a page loaded anew, where the page's own title can be put in place after the count
  await bob.page.reload();
  await expect(bob.page).toHaveTitle("(@1 · 3) Lobby · Komnata");
  // reading the room leaves the private message
  await roomLink(bob.page, room).click();
  await expect(bob.page).toHaveTitle(`(@1 · 1) # ${room} · Komnata`);
  // my own messages never count
  await send(bob.page, "hi");
  await expect(bob.page).toHaveTitle(`(@1 · 1) # ${room} · Komnata`);
  await bob.page.goto(`/messages/${alice.username}`);
  // read once in view (the sidebar has it then, and no longer unread), and so out of the title
  const inSidebar = bob.page
    .getByRole("navigation", { name: "Your rooms and conversations" })
    .getByRole("link", { name: new RegExp(`@${alice.username}`) });
  await expect(inSidebar).toBeVisible();
  await expect(inSidebar).not.toContainText("unread");
  await expect(bob.page).toHaveTitle(`@${alice.username} · Komnata`);
  // something waits in the room, and this page is loaded anew: its own title can be put in place
  // after the count, which stays
  const aliceBot = await apiClient(baseURL as string, alice.username);
  await aliceBot.emitWithAck("message:send", { roomId, body: "three", clientMsgId: "t3" });
  await expect(bob.page).toHaveTitle(`(1) @${alice.username} · Komnata`);
  await bob.page.reload();
  await expect(inSidebar).toBeVisible();
  await expect(bob.page).toHaveTitle(`(1) @${alice.username} · Komnata`);
  aliceBot.disconnect();
  // "mark unread" in a private conversation counts it again, here and in the lobby
  await message(bob.page, 1).hover();
  await toolbar(bob.page, 1).getByRole("button", { name: "More actions" }).click();
  await message(bob.page, 1).getByRole("menuitem", { name: "Mark unread from here" }).click();
  await expect(bob.page).toHaveTitle(`(@1 · 2) @${alice.username} · Komnata`);
  await expect(history(bob.page).getByTestId("unread-divider")).toBeVisible();
  await bob.page.getByRole("link", { name: "Lobby", exact: true }).click();
  await expect(lobbyList(bob.page, "Direct messages")).toContainText("1 unread message");
});

test("on a phone, a long press shows a message's actions, and the picker is a sheet at the bottom", async ({ browser }) => {
  const phone = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };
  const alice = await signUp(browser, "thumb", phone);
  await createRoom(alice.page, uniqueName("phone"));
  await send(alice.page, "hold me");
  const bar = toolbar(alice.page, 1);
  await expect(message(alice.page, 1)).toContainText("hold me");
  // no hover on a phone: the actions stay out of the way until asked for
  await expect(bar).toHaveCSS("opacity", "0");
  await message(alice.page, 1).dispatchEvent("pointerdown", { pointerType: "touch", isPrimary: true });
  await expect(bar).toHaveCSS("opacity", "1");
  await message(alice.page, 1).dispatchEvent("pointerup", { pointerType: "touch", isPrimary: true });
  await bar.getByRole("button", { name: "Add reaction" }).click();
  const sheet = alice.page.getByRole("dialog", { name: "Emoji" });
  await expect(sheet).toHaveCSS("position", "fixed");
  const box = await sheet.boundingBox();
  expect(box && box.y + box.height).toBeGreaterThan(800);
  await sheet.getByRole("button", { name: "🎉" }).click();
  await expect(reaction(alice.page, 1, "🎉")).toContainText("1");
});
