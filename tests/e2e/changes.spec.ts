// Edits and deletions between two browsers (issue 11): live on both, marked, kept after a reload,
// and caught up by someone who was offline while they happened.
import { expect, type Page } from "@playwright/test";
import { apiClient, createRoom, history, roomLink, send, signUp, test, uniqueName } from "./helpers";

const message = (page: Page, seq: number) => history(page).locator(`li[data-seq="${seq}"]`);

/** Opens a message's "More actions" menu (on hover, as a mouse user does) and picks `item`. */
async function fromMenu(page: Page, seq: number, item: string) {
  await message(page, seq).hover();
  await message(page, seq).getByRole("button", { name: "More actions" }).click();
  await message(page, seq).getByRole("menuitem", { name: item }).click();
}

test("edits and deletions reach the other browser live, stay after a reload, and reach someone who was offline", async ({
  browser,
}) => {
  const alice = await signUp(browser, "editor");
  const bob = await signUp(browser, "reader");
  const room = uniqueName("edits");
  await createRoom(alice.page, room);
  await roomLink(bob.page, room).click();
  await expect(bob.page.getByRole("heading", { name: `# ${room}` })).toBeVisible();
  for (const text of ["teh first", "second one", "third"]) await send(alice.page, text);
  await expect(message(bob.page, 3)).toContainText("third");

  // Up arrow in the empty composer edits my last message; Enter saves
  await alice.page.getByRole("textbox", { name: "Message", exact: true }).press("ArrowUp");
  const editor = alice.page.getByLabel("Edit your message");
  await expect(editor).toHaveValue("third");
  await editor.fill("third, edited");
  await editor.press("Enter");
  await expect(message(alice.page, 3)).toContainText("third, edited(edited)");
  await expect(message(bob.page, 3)).toContainText("third, edited(edited)");

  // from the message's own button; Escape leaves it as it was
  await message(alice.page, 1).hover();
  await message(alice.page, 1).getByRole("button", { name: "Edit message" }).click();
  await alice.page.getByLabel("Edit your message").fill("never mind");
  await alice.page.getByLabel("Edit your message").press("Escape");
  await expect(message(alice.page, 1)).toContainText("teh first");
  await expect(message(alice.page, 1)).not.toContainText("(edited)");

  // deleting asks first, then leaves a tombstone in its place for both
  await fromMenu(alice.page, 2, "Delete message");
  const ask = message(alice.page, 2).getByRole("group", { name: "Delete this message for everyone?" });
  await ask.getByRole("button", { name: "Delete", exact: true }).click();
  for (const page of [alice.page, bob.page]) {
    await expect(message(page, 2).getByTestId("deleted-message")).toHaveText("Message deleted");
    await expect(message(page, 2)).not.toContainText("second one");
  }
  // nobody edits or deletes someone else's message
  await message(bob.page, 1).hover();
  await expect(history(bob.page).getByRole("button", { name: "Edit message" })).toHaveCount(0);
  await message(bob.page, 1).getByRole("button", { name: "More actions" }).click();
  await expect(message(bob.page, 1).getByRole("menuitem", { name: "Copy text" })).toBeVisible();
  await expect(message(bob.page, 1).getByRole("menuitem", { name: "Delete message" })).toHaveCount(0);
  await bob.page.keyboard.press("Escape");

  // Bob goes offline; Alice edits and deletes meanwhile; Bob comes back to exactly that
  await bob.page.context().setOffline(true);
  await expect(bob.page.getByRole("status")).toContainText("reconnecting");
  await message(alice.page, 1).hover();
  await message(alice.page, 1).getByRole("button", { name: "Edit message" }).click();
  await alice.page.getByLabel("Edit your message").fill("the first");
  await alice.page.getByLabel("Edit your message").press("Enter");
  await expect(message(alice.page, 1)).toContainText("the first(edited)");
  await fromMenu(alice.page, 3, "Delete message");
  await message(alice.page, 3).getByRole("button", { name: "Delete", exact: true }).click();
  await expect(message(alice.page, 3).getByTestId("deleted-message")).toBeVisible();
  await bob.page.context().setOffline(false);
  await expect(bob.page.getByRole("status")).toHaveCount(0, { timeout: 20_000 });
  await expect(message(bob.page, 1)).toContainText("the first(edited)");
  await expect(message(bob.page, 3).getByTestId("deleted-message")).toBeVisible();

  // and a reload shows the same
  await bob.page.reload();
  await expect(message(bob.page, 1)).toContainText("the first(edited)");
  await expect(message(bob.page, 2).getByTestId("deleted-message")).toBeVisible();
  await expect(message(bob.page, 3).getByTestId("deleted-message")).toBeVisible();
  await expect(history(bob.page).locator("li[data-seq]")).toHaveCount(3);
});

test("someone typing is shown to the others, and gone as soon as their message arrives", async ({ browser }) => {
  const alice = await signUp(browser, "typist");
  const bob = await signUp(browser, "watcher");
  const room = uniqueName("typing");
  await createRoom(alice.page, room);
  await roomLink(bob.page, room).click();
  await expect(bob.page.getByRole("heading", { name: `# ${room}` })).toBeVisible();
  await expect(bob.page.getByText("2 members · 2 online").filter({ visible: true })).toBeVisible();

  const box = alice.page.getByRole("textbox", { name: "Message", exact: true });
  await box.pressSequentially("on my way", { delay: 20 });
  await expect(bob.page.getByText(`${alice.username} is typing…`)).toBeVisible();
  // nobody sees themselves typing
  await expect(alice.page.getByText("is typing…")).toHaveCount(0);
  await box.press("Enter");
  await expect(history(bob.page).getByText("on my way")).toBeVisible();
  await expect(bob.page.getByText(`${alice.username} is typing…`)).toHaveCount(0);
});

test("unread: a badge in the lobby, 'New messages' where reading resumes, read on entering, and 'mark unread'", async ({
  browser,
}) => {
  const alice = await signUp(browser, "poster");
  const bob = await signUp(browser, "catchup");
  const room = uniqueName("news");
  await createRoom(alice.page, room);
  await roomLink(bob.page, room).click();
  await expect(bob.page.getByRole("heading", { name: `# ${room}` })).toBeVisible();
  await send(alice.page, "before you left");
  await expect(message(bob.page, 1)).toContainText("before you left");
  await bob.page.getByRole("link", { name: "Lobby", exact: true }).click();
  await expect(bob.page.getByRole("main").getByRole("heading", { name: "Rooms", level: 2 })).toBeVisible();

  for (const text of ["one", "two", "three"]) await send(alice.page, text);
  const row = roomLink(bob.page, room);
  await expect(row).toContainText("3 unread messages");
  // my own messages are never unread for me
  await alice.page.goto("/");
  await expect(roomLink(alice.page, room)).not.toContainText("unread");

  // entering: the divider sits where reading resumes, and the room is read
  await row.click();
  const divider = history(bob.page).getByTestId("unread-divider");
  await expect(divider).toHaveText("New messages");
  const order = await history(bob.page)
    .locator('li[data-seq], li[data-testid="unread-divider"]')
    .evaluateAll((els) => els.map((el) => el.getAttribute("data-seq") ?? "divider"));
  expect(order).toEqual(["1", "divider", "2", "3", "4"]);
  await bob.page.getByRole("link", { name: "Lobby", exact: true }).click();
  await expect(row).not.toContainText("unread");

  // mark unread from "three": the lobby counts it and the one after
  await row.click();
  await fromMenu(bob.page, 3, "Mark unread from here");
  await expect(history(bob.page).getByTestId("unread-divider")).toHaveCount(1);
  await expect(message(bob.page, 3).locator("xpath=preceding-sibling::li[1]")).toHaveAttribute("data-testid", "unread-divider");
  await bob.page.getByRole("link", { name: "Lobby", exact: true }).click();
  await expect(row).toContainText("2 unread messages");
});

test("a burst of messages is marked read with one request, not one per message", async ({ browser, baseURL }) => {
  const alice = await signUp(browser, "burst");
  const reader = await signUp(browser, "reader");
  const room = uniqueName("burst");
  const roomId = await createRoom(alice.page, room);
  await roomLink(reader.page, room).click();
  await expect(reader.page.getByRole("heading", { name: `# ${room}` })).toBeVisible();
  let reads = 0;
  reader.page.on("websocket", (ws) =>
    ws.on("framesent", (frame) => {
      if (String(frame.payload).includes('"room:read"')) reads += 1;
    }),
  );
  // (the page's socket is open already: watch it from a fresh one)
  await reader.page.reload();
  await expect(reader.page.getByRole("heading", { name: `# ${room}` })).toBeVisible();
  const bot = await apiClient(baseURL!, alice.username);
  for (let i = 1; i <= 60; i++) {
    expect((await bot.emitWithAck("message:send", { roomId, body: `burst ${i}`, clientMsgId: `burst-${i}` })).ok).toBe(true);
  }
  bot.disconnect();
  await expect(history(reader.page).getByText("burst 60", { exact: true })).toBeVisible();
  await reader.page.waitForTimeout(1500);
  // read on every device: the lobby says so
  expect(reads).toBeGreaterThan(0);
  expect(reads).toBeLessThanOrEqual(8);
  await reader.page.getByRole("link", { name: "Lobby", exact: true }).click();
  await expect(roomLink(reader.page, room)).not.toContainText("unread");
});

test("entering a room with many unread messages starts at 'New messages', not at the bottom", async ({ browser, baseURL }) => {
  const alice = await signUp(browser, "talker");
  const bob = await signUp(browser, "returner");
  const room = uniqueName("busy");
  const roomId = await createRoom(alice.page, room);
  await roomLink(bob.page, room).click();
  await expect(bob.page.getByRole("heading", { name: `# ${room}` })).toBeVisible();
  await bob.page.getByRole("link", { name: "Lobby", exact: true }).click();
  const bot = await apiClient(baseURL!, alice.username);
  for (let i = 1; i <= 40; i++) {
    expect((await bot.emitWithAck("message:send", { roomId, body: `update ${i}`, clientMsgId: `busy-${i}` })).ok).toBe(true);
  }
  bot.disconnect();
  await expect(roomLink(bob.page, room)).toContainText("40 unread messages");
  await roomLink(bob.page, room).click();
  const divider = history(bob.page).getByTestId("unread-divider");
  await expect(divider).toBeInViewport();
  await expect(history(bob.page).getByText("update 1", { exact: true })).toBeInViewport();
  await expect(history(bob.page).getByText("update 40", { exact: true })).not.toBeInViewport();
  // scrolling down from there reads on; sending brings the newest into view
  await send(bob.page, "catching up");
  await expect(history(bob.page).getByText("catching up")).toBeInViewport();
});
