// Search in the browser (issue 14): from the quick switcher (Ctrl+K), in one room or everywhere,
// folded across scripts; a result opens its room at the message, far back, with the messages
// around it and the way down to the newest; the filters and "nothing found" on the search page.
import { expect } from "@playwright/test";
import { apiClient, createRoom, history, signUp, test, uniqueName } from "./helpers";

test("finds a message from Ctrl+K, opens it far back in its room, and goes back down to the newest", async ({
  browser,
  baseURL,
}) => {
  const alice = await signUp(browser, "seeker");
  const room = uniqueName("haystack");
  const roomId = await createRoom(alice.page, room);
  // a needle, then enough messages that it is far above the newest page
  const bot = await apiClient(baseURL as string, alice.username);
  const send = (body: string, clientMsgId: string) =>
    new Promise((resolve) => bot.emit("message:send", { roomId, body, clientMsgId }, resolve));
  await send("The ЁЛКА is in the hall", "needle");
  for (let i = 1; i <= 90; i++) await send(`chatter ${i}`, `c${i}`);
  await expect(history(alice.page).locator("li[data-seq]").last()).toContainText("chatter 90");
  bot.disconnect();

  // Ctrl+K, a word in another case and with е for ё: searching this room comes first
  const page = alice.page;
  await page.keyboard.press("Control+k");
  await page.keyboard.type("елка");
  const options = page.getByRole("listbox", { name: "Rooms, conversations and people" }).getByRole("option");
  await expect(options.first()).toHaveText(new RegExp(`Search #${room} for “елка”`));
  await expect(options.nth(1)).toContainText("Search messages for “елка”");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/search\\?q=%D0%B5%D0%BB%D0%BA%D0%B0&room=${roomId}$`));
  const results = page.getByRole("list", { name: "Results" });
  await expect(results.getByRole("listitem")).toHaveCount(1);
  await expect(results.locator("mark")).toHaveText(["ЁЛКА"]);
  await expect(page.getByRole("checkbox", { name: `Only in #${room}` })).toBeChecked();

  // the result opens the room at the message, highlighted, with a gap to the newest
  await results.getByRole("link", { name: `# ${room}` }).click();
  await expect(page).toHaveURL(new RegExp(`/rooms/${roomId}\\?m=1&hl=%D0%B5%D0%BB%D0%BA%D0%B0$`));
  const needle = history(page).locator('li[data-seq="1"]');
  // the word it was found by is marked in it
  await expect(needle.locator("mark")).toHaveText("ЁЛКА");
  await expect(needle).toBeInViewport();
  await expect(needle).toHaveAttribute("data-highlighted", "true");
  const gap = history(page).getByRole("button", { name: /^Show \d+ more messages$/ });
  await expect(gap).toBeVisible();
  // the way down: one click to the newest, which are all there
  await page.getByRole("button", { name: "Jump to the newest ↓" }).click();
  await expect(history(page).locator('li[data-seq="91"]')).toBeInViewport();
  await expect(page.getByRole("button", { name: "Jump to the newest ↓" })).toHaveCount(0);
  // and the gap closes page by page, without a message twice
  while (await gap.count()) await gap.click();
  const seqs = await history(page)
    .locator("li[data-seq]")
    .evaluateAll((items) => items.map((li) => li.getAttribute("data-seq")));
  expect(seqs).toEqual(Array.from({ length: 91 }, (_, i) => String(i + 1)));

  // back: the same results
  await page.goBack();
  await expect(page.getByRole("list", { name: "Results" }).locator("mark")).toHaveText(["ЁЛКА"]);
});

test("the search page reads filters, says when nothing matches, and searches everywhere from a room's search", async ({
  browser,
  baseURL,
}) => {
  const alice = await signUp(browser, "filterer");
  const bob = await signUp(browser, "written");
  const room = uniqueName("filters");
  const roomId = await createRoom(alice.page, room);
  const bot = await apiClient(baseURL as string, bob.username);
  const ask = (event: string, payload: unknown) => new Promise((resolve) => bot.emit(event, payload, resolve));
  await ask("room:join", { roomId });
  await ask("message:send", { roomId, body: "release notes are in src/app.ts", clientMsgId: "b1" });
  await ask("dm:send", { toUsername: alice.username, body: "the release is friday", clientMsgId: "b2" });
  bot.disconnect();

  const page = alice.page;
  await page.goto(`/search?q=${encodeURIComponent(`release from:${bob.username}`)}`);
  const results = page.getByRole("list", { name: "Results" });
  await expect(results.getByRole("listitem")).toHaveCount(2);
  await expect(results.getByRole("listitem").first()).toContainText(`@${bob.username}`);
  await expect(results.getByRole("listitem").nth(1)).toContainText(`# ${room}`);
  // best match first: the same two
  await page.getByRole("button", { name: "Best match" }).click();
  await expect(page).toHaveURL(/order=best/);
  await expect(results.getByRole("listitem")).toHaveCount(2);

  // a code path as typed; in:@bob narrows to the conversation
  await page.getByLabel("Search messages").fill("src/app.ts");
  await page.getByLabel("Search messages").press("Enter");
  await expect(results.locator("mark")).toHaveText(["src/app.ts"]);
  await page.getByLabel("Search messages").fill(`release in:@${bob.username}`);
  await page.getByLabel("Search messages").press("Enter");
  await expect(results.getByRole("listitem")).toHaveCount(1);
  await expect(results).toContainText("the release is friday");

  // nothing: said, with the filters explained; a filter it cannot read: said, in words
  await page.getByLabel("Search messages").fill("nonexistentword");
  await page.getByLabel("Search messages").press("Enter");
  await expect(page.getByRole("status")).toHaveText("No messages match “nonexistentword”.");
  await expect(page.getByRole("heading", { name: "Narrow a search" })).toBeVisible();
  await page.getByLabel("Search messages").fill("has:cats");
  await page.getByLabel("Search messages").press("Enter");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("This search cannot be read");

  // only in a room, then everywhere with one click
  await page.goto(`/search?q=release&room=${roomId}`);
  await expect(results.getByRole("listitem")).toHaveCount(1);
  const only = page.getByRole("checkbox", { name: `Only in #${room}` });
  await only.uncheck();
  await expect(page).toHaveURL(new RegExp(`/search\\?q=release&room=${roomId}&all=1$`));
  await expect(results.getByRole("listitem")).toHaveCount(2);
  await only.check();
  await expect(results.getByRole("listitem")).toHaveCount(1);
});
