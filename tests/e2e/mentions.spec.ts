// Mentions in the browser (issue 13): "@" offers the room's members, the one mentioned sees the
// room marked in the lobby and the tab's title, and the message and their name highlighted;
// @room in a room of more than five asks first.
import { expect, type Page } from "@playwright/test";
import { apiClient, createRoom, history, lobbyList, PASSWORD, roomLink, send, signUp, test, uniqueName } from "./helpers";

const composer = (page: Page) => page.getByRole("textbox", { name: "Message", exact: true });

test("'@' offers the members; the one mentioned sees it in the lobby, the title and the message", async ({ browser }) => {
  const alice = await signUp(browser, "caller");
  const bob = await signUp(browser, "called");
  const room = uniqueName("ping");
  await createRoom(alice.page, room);
  await roomLink(bob.page, room).click();
  await expect(bob.page.getByRole("heading", { name: `# ${room}` })).toBeVisible();
  await bob.page.getByRole("link", { name: "Lobby", exact: true }).click();
  await expect(alice.page.getByRole("complementary")).toContainText(bob.username);

  // typed with the keyboard only: "@", a few letters, Enter picks the name, Enter sends
  await composer(alice.page).click();
  await alice.page.keyboard.type(`please look, @${bob.username.slice(0, 4)}`);
  const list = alice.page.getByRole("listbox", { name: "People to mention" });
  await expect(list.getByRole("option", { selected: true })).toContainText(bob.username);
  await expect(list).not.toContainText(alice.username);
  await alice.page.keyboard.press("Enter");
  await expect(composer(alice.page)).toHaveValue(`please look, @${bob.username} `);
  await expect(list).toHaveCount(0);
  await alice.page.keyboard.type("can you review?");
  await alice.page.keyboard.press("Enter");
  const sent = history(alice.page).locator("li[data-seq]").last();
  await expect(sent).toContainText("can you review?");
  await expect(sent.locator(".mention")).toHaveText(`@${bob.username}`);

  // bob, in the lobby: the room says it calls for him, and so does the tab
  const row = roomLink(bob.page, room);
  await expect(row).toContainText("1 mention of you, 1 unread message");
  await expect(bob.page).toHaveTitle("(@1 · 1) Lobby · Komnata");
  await expect(bob.page.getByRole("navigation", { name: "Your rooms and conversations" })).toContainText("@1");
  await row.click();
  const mine = history(bob.page).locator("li[data-mentions-me]");
  await expect(mine).toHaveCount(1);
  await expect(mine.locator(".mention-me")).toHaveText(`@${bob.username}`);
  // reading it there clears it
  await bob.page.getByRole("link", { name: "Lobby", exact: true }).click();
  await expect(row).not.toContainText("mention");
  await expect(bob.page).toHaveTitle("Lobby · Komnata");
  await expect(lobbyList(bob.page, "Rooms")).toBeVisible();
});

test("@room in a room of more than five asks before it goes, and Escape puts the list away", async ({ browser, baseURL }) => {
  const alice = await signUp(browser, "announcer");
  const room = uniqueName("crowd");
  const roomId = await createRoom(alice.page, room);
  // five more members, joined the way a bot would
  for (let i = 0; i < 5; i++) {
    const username = uniqueName("crowd");
    const res = await fetch(`${baseURL}/api/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    expect(res.status).toBe(201);
    const bot = await apiClient(baseURL ?? "", username);
    await bot.emitWithAck("room:join", { roomId });
    bot.disconnect();
  }
  // (the phone's button and the desktop's text say the same: the desktop's is the one shown)
  await expect(alice.page.getByText("6 members · 1 online").last()).toBeVisible();

  await composer(alice.page).click();
  await alice.page.keyboard.type("@ro");
  const list = alice.page.getByRole("listbox", { name: "People to mention" });
  await expect(list.getByRole("option", { name: /@room/ })).toBeVisible();
  await alice.page.keyboard.press("Escape");
  await expect(list).toHaveCount(0);
  await alice.page.keyboard.type("om lunch at noon");
  await alice.page.keyboard.press("Enter");
  const ask = alice.page.getByRole("alert").filter({ hasText: "@room notifies all 6 people in this room" });
  await expect(ask).toBeVisible();
  await expect(history(alice.page)).not.toContainText("lunch at noon");
  await ask.getByRole("button", { name: "Send" }).click();
  await expect(history(alice.page).locator("li[data-seq]").last()).toContainText("lunch at noon");
  await expect(composer(alice.page)).toHaveValue("");
});

test("a muted room's count is dimmed and stays out of the tab's title, on every device", async ({ browser }) => {
  const alice = await signUp(browser, "talker");
  const bob = await signUp(browser, "muter");
  const room = uniqueName("noisy");
  await createRoom(alice.page, room);
  await roomLink(bob.page, room).click();
  const setting = bob.page.getByLabel("Notifications for this room");
  await expect(setting).toHaveValue("mentions");
  await setting.selectOption("nothing");
  // the setting is bob's, on his other device too
  const laptop = await (await browser.newContext({ storageState: await bob.page.context().storageState() })).newPage();
  await laptop.goto("/");
  await bob.page.getByRole("link", { name: "Lobby", exact: true }).click();

  await send(alice.page, "chatter nobody asked for");
  for (const page of [bob.page, laptop]) {
    const row = roomLink(page, room);
    await expect(row).toContainText("1 unread message (muted)");
    await expect(row.locator("[data-muted]")).toBeVisible();
    await expect(page).toHaveTitle("Lobby · Komnata");
  }
  // back to mentions: counted again
  await roomLink(bob.page, room).click();
  await bob.page.getByLabel("Notifications for this room").selectOption("mentions");
  await bob.page.getByRole("link", { name: "Lobby", exact: true }).click();
  await send(alice.page, "and more");
  await expect(bob.page).toHaveTitle("(1) Lobby · Komnata");
});

test("notifications: asked from a button, shown while the tab is hidden for what calls for me, one per room", async ({
  browser,
}) => {
  const alice = await signUp(browser, "notifier");
  const bob = await signUp(browser, "notified", { permissions: ["notifications"] });
  const room = uniqueName("alerts");
  await createRoom(alice.page, room);
  await roomLink(bob.page, room).click();
  await expect(bob.page.getByRole("heading", { name: `# ${room}` })).toBeVisible();

  // nothing until bob turns them on, from the account menu
  await bob.page.getByRole("button", { name: /^Account: / }).click();
  await bob.page.getByRole("button", { name: "Notifications…" }).click();
  const settings = bob.page.getByRole("dialog", { name: "Notifications" });
  const desktop = settings.getByLabel("Show notifications when Komnata is open in a hidden tab");
  await expect(desktop).not.toBeChecked();
  await desktop.check();
  await expect(desktop).toBeChecked();
  // push needs the browser's push service, which this machine cannot reach: it says so and stays off
  const push = settings.getByLabel("Send notifications to this browser when Komnata is closed");
  await push.click();
  await expect(settings.getByRole("alert")).toContainText("could not subscribe");
  await expect(push).not.toBeChecked();
  await settings.getByRole("button", { name: "Close" }).click();

  // the tab goes to the background
  await bob.page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  // What the page had the browser show, in order, once the browser took it: read from the calls,
  // not from the browser's list of open notifications, because headless Chromium here now and
  // then drops one from that list the moment it is shown (about one run in ten: showNotification
  // resolved, and getNotifications() a millisecond later did not have it), whatever the page did.
  await bob.page.evaluate(() => {
    const calls: { title: string; body: string; tag: string }[] = [];
    Object.assign(window, { shownNotifications: calls });
    const show = ServiceWorkerRegistration.prototype.showNotification;
    ServiceWorkerRegistration.prototype.showNotification = async function (title, options) {
      await show.call(this, title, options);
      calls.push({ title, body: options?.body ?? "", tag: options?.tag ?? "" });
    };
  });
  const shown = () =>
    bob.page.evaluate(
      () => (window as unknown as { shownNotifications: { title: string; body: string; tag: string }[] }).shownNotifications,
    );
  // plain chatter shows nothing; the mention does
  await send(alice.page, "just chatting");
  await send(alice.page, `@${bob.username} can you look?`);
  await expect
    .poll(shown)
    .toEqual([
      { title: `# ${room}`, body: `${alice.username}: @${bob.username} can you look?`, tag: expect.stringMatching(/^room:/) },
    ]);
  // another one replaces it: the same tag, one per room
  const [{ tag }] = await shown();
  await send(alice.page, `@${bob.username} and this`);
  await expect
    .poll(async () => (await shown()).slice(1))
    .toEqual([{ title: `# ${room}`, body: `${alice.username}: @${bob.username} and this`, tag }]);
  // a private message is its own
  await alice.page.goto(`/messages/${bob.username}`);
  await send(alice.page, "psst");
  await expect
    .poll(async () => (await shown()).map((n) => [n.title, n.body, n.tag.split(":")[0]]))
    .toEqual([
      [`# ${room}`, `${alice.username}: @${bob.username} can you look?`, "room"],
      [`# ${room}`, `${alice.username}: @${bob.username} and this`, "room"],
      [`@${alice.username}`, "psst", "dm"],
    ]);
});
