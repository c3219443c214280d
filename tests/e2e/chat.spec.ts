import { expect } from "@playwright/test";
import {
  apiClient,
  createRoom,
  history,
  lobbyList,
  PASSWORD,
  roomLink,
  send,
  signOut,
  signUp,
  test,
  uniqueName,
} from "./helpers";

test("two people talk live in a room; history survives a reload; leaving returns to the lobby", async ({ browser }) => {
  const alice = await signUp(browser, "alice");
  const bob = await signUp(browser, "bob");
  const roomName = uniqueName("general");

  // the lobby updates live when someone creates a room
  await createRoom(alice.page, roomName, "Team-wide chatter");
  const bobsEntry = roomLink(bob.page, roomName);
  await expect(bobsEntry).toBeVisible();
  await expect(bobsEntry).toContainText("Team-wide chatter");
  await bobsEntry.click();
  await expect(bob.page.getByRole("heading", { name: `# ${roomName}` })).toBeVisible();

  // both are listed as online members
  for (const page of [alice.page, bob.page]) {
    const members = page.getByRole("list", { name: "Members" });
    await expect(members.locator('[data-online="true"]')).toHaveCount(2);
  }

  await send(alice.page, "Hello Bob <script>window.pwned=1</script>");
  await expect(history(bob.page).getByText("Hello Bob <script>window.pwned=1</script>")).toBeVisible();
  expect(await bob.page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  await expect(history(alice.page).locator('li[data-status="sent"]').getByText("Hello Bob")).toBeVisible();

  // the composer keeps focus, and Shift+Enter makes a new line instead of sending
  const box = bob.page.getByRole("textbox", { name: "Message" });
  await box.fill("Hi Alice");
  await box.press("Shift+Enter");
  await box.pressSequentially("second line");
  await box.press("Enter");
  await expect(box).toBeFocused();
  await expect(box).toHaveValue("");
  await expect(history(alice.page).getByText(/Hi Alice\s+second line/)).toBeVisible();

  await alice.page.reload();
  await expect(history(alice.page).getByText("Hello Bob <script>window.pwned=1</script>")).toBeVisible();
  await expect(history(alice.page).getByText(/Hi Alice\s+second line/)).toBeVisible();

  // leaving asks first; "Stay" changes nothing
  await bob.page.getByRole("button", { name: "Leave room" }).click();
  const ask = bob.page.getByRole("group", { name: /^Leave #/ });
  await ask.getByRole("button", { name: "Stay" }).click();
  await expect(bob.page.getByRole("group", { name: /^Leave #/ })).toHaveCount(0);
  await bob.page.getByRole("button", { name: "Leave room" }).click();
  await bob.page
    .getByRole("group", { name: /^Leave #/ })
    .getByRole("button", { name: "Leave room" })
    .click();
  await expect(bob.page).toHaveURL(/\/$/);
  await expect(bob.page.getByRole("main").getByRole("heading", { name: "Rooms" })).toBeVisible();
  await expect(alice.page.getByRole("list", { name: "Members" }).getByRole("listitem")).toHaveCount(1);
});

test("scrolling up loads older messages without gaps or duplicates", async ({ browser, baseURL }) => {
  const alice = await signUp(browser, "scroller");
  const roomName = uniqueName("archive");
  const roomId = await createRoom(alice.page, roomName);
  const bot = await apiClient(baseURL!, alice.username);
  for (let i = 1; i <= 130; i++) {
    const reply = await bot.emitWithAck("message:send", { roomId, body: `archived message ${i}`, clientMsgId: `seed-${i}` });
    expect(reply.ok).toBe(true);
  }
  bot.disconnect();

  await alice.page.reload();
  const items = history(alice.page).locator("li[data-seq]");
  await expect(history(alice.page).getByText("archived message 130", { exact: true })).toBeVisible();
  await expect(items).toHaveCount(50);

  const scroller = alice.page.getByTestId("message-scroller");
  for (let i = 0; i < 10 && (await items.count()) < 130; i++) {
    await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
    await alice.page.waitForTimeout(300);
  }
  await expect(items).toHaveCount(130);
  const seqs = await items.evaluateAll((els) => els.map((el) => Number(el.getAttribute("data-seq"))));
  expect(seqs).toEqual(Array.from({ length: 130 }, (_, i) => i + 1));
  await expect(alice.page.getByText(`This is the beginning of #${roomName}.`)).toBeVisible();
});

test("a signed-out visitor is sent to sign-in and comes back to the room after", async ({ browser }) => {
  const alice = await signUp(browser, "host");
  const roomName = uniqueName("welcome");
  const roomId = await createRoom(alice.page, roomName);

  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`/rooms/${roomId}`);
  await expect(visitor).toHaveURL(/\/login\?callbackUrl=/);
  await visitor.getByLabel("Username").fill(uniqueName("guest"));
  await visitor.getByLabel("Password").fill(PASSWORD);
  await visitor.getByRole("button", { name: "Create account" }).click();
  await expect(visitor).toHaveURL(new RegExp(`/rooms/${roomId}$`));
  await expect(visitor.getByRole("heading", { name: `# ${roomName}` })).toBeVisible();

  await signOut(visitor);
  await visitor.goto("/");
  await expect(visitor).toHaveURL(/\/login\?callbackUrl=%2F$/);
});

test("the theme choice survives a reload, and the first visit follows the system", async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: "dark" });
  const page = await context.newPage();
  await page.goto("/login");
  const html = page.locator("html");
  await expect(html).toHaveClass(/dark/);
  await page.getByRole("button", { name: "Toggle theme" }).click();
  await expect(html).not.toHaveClass(/dark/);
  await page.reload();
  await expect(html).not.toHaveClass(/dark/);
  await page.getByRole("button", { name: "Toggle theme" }).click();
  await page.reload();
  await expect(html).toHaveClass(/dark/);
});

test("wrong passwords are refused without saying whether the user exists, then slowed down", async ({ page }) => {
  await page.goto("/login");
  const username = uniqueName("nobody");
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong username or password.");
  }
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toContainText("Too many failed sign-in attempts");
});

test("after a dropped connection the page says so, reconnects, and shows what it missed", async ({ browser, baseURL }) => {
  const alice = await signUp(browser, "mobile");
  const roomId = await createRoom(alice.page, uniqueName("flaky"));
  await send(alice.page, "before the tunnel");
  await expect(history(alice.page).locator('li[data-status="sent"]')).toHaveCount(1);

  await alice.page.context().setOffline(true);
  await expect(alice.page.getByRole("status")).toContainText("reconnecting");

  const bot = await apiClient(baseURL!, alice.username);
  for (let i = 1; i <= 60; i++) {
    const reply = await bot.emitWithAck("message:send", { roomId, body: `while away ${i}`, clientMsgId: `away-${i}` });
    expect(reply.ok).toBe(true);
  }
  bot.disconnect();

  await alice.page.context().setOffline(false);
  await expect(alice.page.getByRole("status")).toHaveCount(0, { timeout: 20_000 });
  const items = history(alice.page).locator("li[data-seq]");
  await expect(items).toHaveCount(61);
  const seqs = await items.evaluateAll((els) => els.map((el) => Number(el.getAttribute("data-seq"))));
  expect(seqs).toEqual(Array.from({ length: 61 }, (_, i) => i + 1));
});

test("messages written offline wait, go by themselves in order once the connection is back, and survive a reload", async ({
  browser,
}) => {
  const alice = await signUp(browser, "offline");
  const bob = await signUp(browser, "onshore");
  const room = uniqueName("tunnel");
  await createRoom(alice.page, room);
  await roomLink(bob.page, room).click();
  await expect(bob.page.getByRole("heading", { name: `# ${room}` })).toBeVisible();

  await alice.page.context().setOffline(true);
  await expect(alice.page.getByRole("status")).toContainText("reconnecting");
  // nobody is shown online while we cannot know
  await expect(alice.page.locator('[data-online="true"]')).toHaveCount(0);
  await expect(alice.page.getByText("2 members · 0 online").filter({ visible: true })).toBeVisible();
  await send(alice.page, "written in the tunnel");
  await send(alice.page, "and a second one");
  const waiting = history(alice.page).locator('li[data-status="waiting"]');
  await expect(waiting).toHaveCount(2);
  await expect(waiting.first()).toContainText("Waiting for the connection…");
  await expect(history(alice.page).getByRole("button", { name: "Retry" })).toHaveCount(0);

  // back: both go without a click, in order, once each
  await alice.page.context().setOffline(false);
  const atBob = history(bob.page).locator('li[data-status="sent"]');
  await expect(atBob).toHaveCount(2, { timeout: 20_000 });
  await expect(atBob.nth(0)).toContainText("written in the tunnel");
  await expect(atBob.nth(1)).toContainText("and a second one");
  await expect(history(alice.page).locator('li[data-status="waiting"], li[data-status="pending"]')).toHaveCount(0);

  // offline again, and the tab is closed before the connection comes back: the next visit sends it
  await alice.page.context().setOffline(true);
  await expect(alice.page.getByRole("status")).toContainText("reconnecting");
  await send(alice.page, "kept across a reload");
  await expect(waiting).toHaveCount(1);
  const url = alice.page.url();
  const context = alice.page.context();
  await alice.page.close();
  await context.setOffline(false);
  const again = await context.newPage();
  await again.goto(url);
  await expect(history(bob.page).getByText("kept across a reload")).toHaveCount(1, { timeout: 20_000 });
  await expect(history(again).getByText("kept across a reload")).toHaveCount(1);
  await again.reload();
  await expect(history(again).getByText("kept across a reload")).toHaveCount(1);
  await expect(history(bob.page).locator('li[data-status="sent"]')).toHaveCount(3);
});

test("the lobby filters rooms as you type", async ({ browser }) => {
  const alice = await signUp(browser, "filter");
  // the random part first: typed with it, "ap" is not found in it (by chance) in another room's name
  const tag = uniqueName("f");
  for (const name of [`${tag}apples`, `${tag}apricots`, `${tag}bananas`]) {
    await createRoom(alice.page, name);
    await alice.page.goto("/");
  }
  const rooms = lobbyList(alice.page, "Rooms");
  await alice.page.getByLabel("Filter rooms").fill(`${tag}ap`);
  await expect(roomLink(alice.page, `${tag}apples`)).toBeVisible();
  await expect(roomLink(alice.page, `${tag}bananas`)).toHaveCount(0);
  await alice.page.getByLabel("Filter rooms").fill(`${tag}APR`.toUpperCase());
  await expect(rooms.getByRole("listitem")).toHaveCount(1);
  await expect(roomLink(alice.page, `${tag}apricots`)).toBeVisible();
  await alice.page.getByLabel("Filter rooms").fill(`zzz-nothing-${tag}`);
  await expect(alice.page.getByText(/No room matches/)).toBeVisible();
});

test("a private conversation: started from a room's member list, unread in the lobby, live both ways", async ({ browser }) => {
  const alice = await signUp(browser, "pmalice");
  const bob = await signUp(browser, "pmbob");
  const roomName = uniqueName("pm");
  await createRoom(alice.page, roomName);
  await roomLink(bob.page, roomName).click();
  await expect(bob.page.getByRole("heading", { name: `# ${roomName}` })).toBeVisible();
  await bob.page.goto("/");

  await alice.page.getByRole("link", { name: `Message ${bob.username}` }).click();
  await expect(alice.page.getByRole("heading", { name: `@${bob.username}` })).toBeVisible();
  await send(alice.page, "just between us <b>ok</b>");
  await expect(history(alice.page).locator('li[data-status="sent"]').getByText("just between us <b>ok</b>")).toBeVisible();

  // Bob is in the lobby: the conversation appears there, unread, without a reload.
  const dms = lobbyList(bob.page, "Direct messages");
  const entry = dms.getByRole("link", { name: new RegExp(`@${alice.username}`) });
  await expect(entry).toContainText("1 unread");
  await entry.click();
  await expect(history(bob.page).getByText("just between us <b>ok</b>")).toBeVisible();
  await send(bob.page, "understood");
  await expect(history(alice.page).getByText("understood")).toBeVisible();

  await bob.page.goto("/");
  await expect(dms.getByRole("link", { name: new RegExp(`@${alice.username}`) })).not.toContainText("unread");

  // a name nobody has is said so at once, before anything is typed
  await bob.page.goto(`/messages/${uniqueName("nobody")}`);
  await expect(bob.page.getByRole("main").getByRole("alert")).toContainText("No user named");
  await bob.page.getByRole("textbox", { name: "Message", exact: true }).fill("hello?");
  await expect(bob.page.getByRole("button", { name: "Send" })).toBeDisabled();
});

/** The page's JavaScript (not its styles, so the page still shows). */
const scripts = (url: URL) => url.pathname.startsWith("/_next/static/") && url.pathname.endsWith(".js");

test("what is typed before the page becomes interactive is kept, and no early click is lost", async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  // hold the page's scripts back, as a slow network or a busy machine would
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(scripts, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto("/login", { waitUntil: "commit" });
  const username = uniqueName("early");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await expect(page.getByRole("button", { name: "Create account" })).toBeDisabled();
  release();
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/$/);

  // the same for a new room's name, typed while the lobby is still loading
  await page.unrouteAll();
  let releaseLobby: () => void = () => undefined;
  const lobbyHeld = new Promise<void>((resolve) => {
    releaseLobby = resolve;
  });
  await page.route(scripts, async (route) => {
    await lobbyHeld;
    await route.continue();
  });
  await page.reload({ waitUntil: "commit" });
  const roomName = uniqueName("early");
  await page.getByLabel("Room name").fill(roomName);
  releaseLobby();
  await page.getByRole("button", { name: "Create room" }).click();
  await expect(page.getByRole("heading", { name: `# ${roomName}` })).toBeVisible();
});
