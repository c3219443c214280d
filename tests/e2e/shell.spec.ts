// Moving around the app as someone who lives in it all day (issue 12): drafts and the reading
// place survive a reload, a phone's member list is a sheet over the room, and a message to
// nobody is refused in the form.
import { type Browser, expect } from "@playwright/test";
import { apiClient, createRoom, history, lobbyList, send, signUp, test, uniqueName } from "./helpers";

const phone = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

/** Two people: the first makes two rooms (and is in the second now), the other is in the first. */
async function twoRoomsAndAGuest(browser: Browser, [me, guest]: [string, string], [one, two]: [string, string]) {
  const alice = await signUp(browser, me);
  const bob = await signUp(browser, guest);
  const [first, second] = [uniqueName(one), uniqueName(two)];
  const firstId = await createRoom(alice.page, first);
  await alice.page.goto("/");
  const secondId = await createRoom(alice.page, second);
  await bob.page.goto(`/rooms/${firstId}`);
  await expect(bob.page.getByRole("heading", { name: `# ${first}` })).toBeVisible();
  return { alice, bob, first, firstId, second, secondId };
}

test("a half-typed message and the place in older messages come back after a reload, per room", async ({ browser, baseURL }) => {
  const alice = await signUp(browser, "drafter");
  const first = await createRoom(alice.page, uniqueName("draft-a"));
  const bot = await apiClient(baseURL as string, alice.username);
  for (let i = 1; i <= 120; i++) {
    expect((await bot.emitWithAck("message:send", { roomId: first, body: `line ${i}`, clientMsgId: `l${i}` })).ok).toBe(true);
  }
  bot.disconnect();
  await alice.page.reload();
  const box = alice.page.getByRole("textbox", { name: "Message", exact: true });
  await box.fill("half a thought");

  // reading older messages: scrolled up to line 60 or so
  const line = (n: number) =>
    history(alice.page)
      .locator("li[data-seq]")
      .filter({ hasText: new RegExp(`^.*line ${n}$`) });
  await line(71).waitFor();
  await alice.page.getByTestId("message-scroller").evaluate((el) => {
    el.scrollTop = 0;
  });
  await history(alice.page).getByText("line 60", { exact: true }).waitFor();
  await history(alice.page)
    .getByText("line 60", { exact: true })
    .evaluate((el) => el.scrollIntoView({ block: "start" }));

  // at once: the place is written down as the page goes away, not only every 300 ms of scrolling
  await alice.page.reload();
  await expect(box).toHaveValue("half a thought");
  await expect(line(60)).toBeInViewport();
  await expect(line(120)).not.toBeInViewport();

  // another room has its own (empty) draft; sending clears this one for good
  await alice.page.goto("/");
  await createRoom(alice.page, uniqueName("draft-b"));
  await expect(box).toHaveValue("");
  await alice.page.goto(`/rooms/${first}`);
  await expect(box).toHaveValue("half a thought");
  await expect(alice.page.getByRole("button", { name: "Send" })).toBeEnabled();
  await box.press("Enter");
  await expect(history(alice.page).getByText("half a thought")).toBeInViewport();
  await alice.page.reload();
  await expect(box).toHaveValue("");
});

test("on a phone the member list is a sheet over the room, which keeps its width", async ({ browser }) => {
  const alice = await signUp(browser, "pocket", phone);
  await createRoom(alice.page, uniqueName("sheet"));
  await send(alice.page, "a message long enough to wrap over a couple of lines on a phone screen");
  const scroller = alice.page.getByTestId("message-scroller");
  const before = (await scroller.boundingBox())?.width ?? 0;
  expect(before).toBeGreaterThan(350);

  await alice.page.getByRole("button", { name: "1 member · 1 online" }).click();
  const sheet = alice.page.locator("#room-members");
  await expect(sheet.getByRole("list", { name: "Members" })).toBeVisible();
  await expect(sheet).toHaveCSS("position", "fixed");
  expect((await scroller.boundingBox())?.width).toBe(before);
  await expect(alice.page.getByRole("button", { name: "Leave room" })).toBeVisible();
  await sheet.getByRole("button", { name: "Close" }).click();
  await expect(sheet).toBeHidden();
  // opened, it has the keyboard: Escape puts it away and gives the keyboard back to its button
  const toggle = alice.page.getByRole("button", { name: "1 member · 1 online" });
  await toggle.click();
  await expect(sheet.getByRole("button", { name: "Close" })).toBeFocused();
  await alice.page.keyboard.press("Escape");
  await expect(sheet).toBeHidden();
  await expect(toggle).toBeFocused();
});

test("the desktop member count is text, not a button that does nothing", async ({ browser }) => {
  const alice = await signUp(browser, "counter");
  await createRoom(alice.page, uniqueName("count"));
  await expect(alice.page.getByText("1 member · 1 online").filter({ visible: true })).toBeVisible();
  await expect(alice.page.getByRole("button", { name: "1 member · 1 online" })).toBeHidden();
});

test("messaging a name nobody has says so in the form, and a real one opens the conversation", async ({ browser }) => {
  const alice = await signUp(browser, "asker");
  const bob = await signUp(browser, "known");
  const field = alice.page.getByRole("textbox", { name: "Start a conversation with" });
  await field.fill("nobody-has-this-name");
  await field.press("Enter");
  const problem = alice.page.locator("#dm-to-problem");
  await expect(problem).toHaveText("No user named “nobody-has-this-name”.");
  await expect(problem).toHaveRole("alert");
  await expect(alice.page).toHaveURL(/\/$/);
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await field.fill(`@${bob.username.toUpperCase()}`);
  await expect(problem).toHaveCount(0);
  await field.press("Enter");
  await expect(alice.page).toHaveURL(new RegExp(`/messages/${bob.username}$`));
});

test("an address that is no page says so in the app's look, in the dark theme too, with the way back", async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: "dark" });
  const page = await context.newPage();
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page).toHaveTitle("Page not found · Komnata");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const dark = await background();
  await page.getByRole("link", { name: "Back to the lobby" }).click();
  await expect(page).toHaveURL(/\/login/);
  // the same background as every other page in the dark theme
  expect(await background()).toBe(dark);
  await page.emulateMedia({ colorScheme: "light" });
  await page.evaluate(() => localStorage.removeItem("komnata-theme"));
  await page.goto("/no/such/page");
  expect(await background()).not.toBe(dark);
  await context.close();
});

test("rooms nobody is in are listed apart and can be deleted; a creator alone in a room may delete it", async ({ browser }) => {
  const alice = await signUp(browser, "tidy");
  const bob = await signUp(browser, "watcher");
  const mine = uniqueName("mine");
  await createRoom(alice.page, mine);
  await send(alice.page, "just me here");
  await expect(lobbyList(bob.page, "Rooms")).toContainText(mine);

  // alone in the room she made: she may delete it, after saying yes; it leaves every lobby
  await alice.page.getByRole("button", { name: "Delete room" }).click();
  await alice.page
    .getByRole("group", { name: `Delete #${mine} and everything in it, for good?` })
    .getByRole("button", {
      name: "Delete room",
    })
    .click();
  await expect(alice.page).toHaveURL(/\/$/);
  await expect(lobbyList(bob.page, "Rooms")).not.toContainText(mine);

  // a room everyone left goes to "rooms nobody is in", where anyone may clear it away
  const left = uniqueName("left");
  await createRoom(alice.page, left);
  await alice.page.getByRole("button", { name: "Leave room" }).click();
  await alice.page
    .getByRole("group", { name: /^Leave #/ })
    .getByRole("button", { name: "Leave room" })
    .click();
  // (the lobby counts the members of rooms you are not in when it loads)
  await bob.page.reload();
  await expect(lobbyList(bob.page, "Rooms")).not.toContainText(left);
  // (other tests' rooms may be there too: the whole suite shares one server)
  await bob.page.getByText(/^\d+ rooms? nobody is in$/).click();
  const empty = bob.page.getByRole("list", { name: "Rooms nobody is in" });
  await expect(empty).toContainText(left);
  await empty.getByRole("button", { name: `Delete #${left}` }).click();
  await empty.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(bob.page.getByRole("main")).not.toContainText(left);
  await bob.page.reload();
  await expect(bob.page.getByRole("main").getByRole("heading", { name: "Rooms" })).toBeVisible();
  await expect(bob.page.getByText(left)).toHaveCount(0);
});

test("the sign-in page: the username is focused, Tab goes through the form first, an old error goes as you type", async ({
  page,
}) => {
  await page.goto("/login");
  await expect(page.getByLabel("Username")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.getByLabel("Username").fill("nobody-at-all");
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong username or password." })).toBeVisible();
  await page.getByLabel("Password").press("x");
  await expect(page.getByText("Wrong username or password.")).toHaveCount(0);
});

test("reading older messages, new ones bring a 'New messages ↓' button that goes down to them; 'Skip to messages' is the first stop", async ({
  browser,
  baseURL,
}) => {
  const alice = await signUp(browser, "reader");
  const roomId = await createRoom(alice.page, uniqueName("busy"));
  const bot = await apiClient(baseURL as string, alice.username);
  for (let i = 1; i <= 60; i++) {
    expect((await bot.emitWithAck("message:send", { roomId, body: `old ${i}`, clientMsgId: `o${i}` })).ok).toBe(true);
  }
  await alice.page.reload();
  await expect(history(alice.page).getByText("old 60", { exact: true })).toBeInViewport();
  const jump = alice.page.getByRole("button", { name: "New messages ↓" });
  // at the newest, a new message just shows
  expect((await bot.emitWithAck("message:send", { roomId, body: "while at the bottom", clientMsgId: "b" })).ok).toBe(true);
  await expect(history(alice.page).getByText("while at the bottom")).toBeInViewport();
  await expect(jump).toHaveCount(0);

  await alice.page.getByTestId("message-scroller").evaluate((el) => {
    el.scrollTop = 0;
  });
  // the page has taken the scroll in (reaching the top loads the oldest messages)
  await history(alice.page).getByText("old 1", { exact: true }).waitFor();
  expect((await bot.emitWithAck("message:send", { roomId, body: "fresh news", clientMsgId: "n" })).ok).toBe(true);
  bot.disconnect();
  await expect(jump).toBeVisible();
  await expect(history(alice.page).getByText("fresh news")).not.toBeInViewport();
  await jump.click();
  await expect(history(alice.page).getByText("fresh news")).toBeInViewport();
  await expect(jump).toHaveCount(0);

  // the keyboard's first stop on the page (before the header) goes straight to the messages
  const first = await alice.page.evaluate(
    () =>
      document.querySelector<HTMLElement>("a[href], button, input, textarea, select, [tabindex]:not([tabindex='-1'])")
        ?.textContent,
  );
  expect(first).toBe("Skip to messages");
  const skip = alice.page.getByRole("link", { name: "Skip to messages" });
  await skip.focus();
  await expect(skip).toBeVisible();
  await skip.press("Enter");
  await expect(alice.page.getByTestId("message-scroller")).toBeFocused();
});

test("the sidebar lists my rooms and conversations with unread counts, live, sorted as I choose", async ({ browser }) => {
  const {
    alice,
    bob,
    first: zeta,
    firstId: zetaId,
    second: alpha,
    secondId: alphaId,
  } = await twoRoomsAndAGuest(browser, ["sider", "poster"], ["zeta", "alpha"]);

  const nav = alice.page.getByRole("navigation", { name: "Your rooms and conversations" });
  const rooms = nav.getByRole("list", { name: "Rooms", exact: true });
  await expect(rooms.getByRole("link", { name: `# ${alpha}` })).toHaveAttribute("aria-current", "page");
  // someone writes in the other room: it comes first, with its count
  await send(bob.page, "news in zeta");
  await expect(rooms.getByRole("link", { name: new RegExp(`^# ${zeta}`) })).toContainText("1 unread message");
  await expect(rooms.getByRole("listitem").first()).toContainText(zeta);
  // and a conversation appears when someone writes to me
  await bob.page.goto(`/messages/${alice.username}`);
  await send(bob.page, "psst");
  const dms = nav.getByRole("list", { name: "Direct messages", exact: true });
  await expect(dms.getByRole("link", { name: new RegExp(`^@${bob.username}`) })).toContainText("1 unread message");

  // by name instead, kept after a reload; a folded section stays folded
  await nav.getByRole("button", { name: "Recent first" }).click();
  await expect(rooms.getByRole("listitem").first()).toContainText(alpha);
  await nav.getByRole("button", { name: "Direct messages" }).click();
  await expect(dms).toHaveCount(0);
  await alice.page.reload();
  await expect(nav.getByRole("button", { name: "A–Z" })).toBeVisible();
  await expect(rooms.getByRole("listitem").first()).toContainText(alpha);
  await expect(nav.getByRole("button", { name: "Direct messages" })).toHaveAttribute("aria-expanded", "false");

  // going to the room reads it
  await rooms.getByRole("link", { name: new RegExp(`^# ${zeta}`) }).click();
  await expect(alice.page).toHaveURL(new RegExp(`/rooms/${zetaId}$`));
  await expect(rooms.getByRole("link", { name: `# ${zeta}` })).toHaveAttribute("aria-current", "page");
  await expect(rooms.getByRole("link", { name: `# ${zeta}` })).not.toContainText("unread");
  expect(alphaId).not.toBe(zetaId);
});

test("Ctrl+K finds my rooms by a few letters, people to write to and rooms to join, by keyboard only", async ({ browser }) => {
  const alice = await signUp(browser, "switcher");
  const bob = await signUp(browser, "findme");
  const [beta, gamma] = [uniqueName("beta"), uniqueName("gamma")];
  const betaId = await createRoom(alice.page, beta);
  await alice.page.goto("/");
  const gammaId = await createRoom(bob.page, gamma);
  const { page } = alice;
  await expect(page.getByRole("navigation", { name: "Your rooms and conversations" })).toContainText(beta);

  const switcher = page.getByRole("dialog", { name: "Search, or go to a room or a person" });
  const field = switcher.getByRole("combobox", { name: "Search, or go to a room or a person" });
  await page.keyboard.press("Control+k");
  await expect(field).toBeFocused();
  // letters in order, not side by side: b…t…a of "beta…"
  await page.keyboard.type(`bta${beta.slice(4)}`);
  await expect(switcher.getByRole("option", { selected: true })).toContainText(beta);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/rooms/${betaId}$`));
  await expect(switcher).toHaveCount(0);

  // someone I have never written to: a conversation with them
  await page.keyboard.press("Control+k");
  await page.keyboard.type(bob.username);
  const person = switcher.getByRole("option").filter({ hasText: "Start a conversation" });
  await expect(person).toContainText("Start a conversation");
  await expect(person).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/messages/${bob.username}$`));

  // a room I am not in: opening it joins it; Escape first closes the switcher where I was
  await page.keyboard.press("Control+k");
  await page.keyboard.type("zzzz-nothing-like-this");
  // no room or person by that name: searching the messages for it is what is left
  await expect(switcher.getByRole("option", { selected: true })).toContainText("Search messages for “zzzz-nothing-like-this”");
  await page.keyboard.press("Escape");
  await expect(switcher).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`/messages/${bob.username}$`));
  await page.keyboard.press("Control+k");
  await page.keyboard.type(gamma);
  await expect(switcher.getByRole("option").filter({ hasText: "Join" })).toContainText(gamma);
  await expect(switcher.getByRole("option", { selected: true })).toContainText("Join");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/rooms/${gammaId}$`));
  await expect(page.getByRole("complementary")).toContainText(bob.username);
});

test("Alt+Up/Down walks my rooms, Alt+Shift+Down goes to the next unread, Escape marks read, ? lists the shortcuts", async ({
  browser,
  baseURL,
}) => {
  const alice = await signUp(browser, "walker");
  const { page } = alice;
  const names = [uniqueName("walk-a"), uniqueName("walk-b"), uniqueName("walk-c")];
  const ids: string[] = [];
  for (const name of names) {
    ids.push(await createRoom(page, name));
    await page.goto("/");
  }
  const nav = page.getByRole("navigation", { name: "Your rooms and conversations" });
  await nav.getByRole("button", { name: "Recent first" }).click();
  await expect(nav.getByRole("button", { name: "A–Z" })).toBeVisible();
  await page.goto(`/rooms/${ids[0]}`);
  await expect(page.getByRole("heading", { name: `# ${names[0]}` })).toBeVisible();
  // the walk goes by the sidebar's list, which the page asks for once it runs: a key pressed
  // before it is in has nowhere to go (the server-drawn heading comes sooner)
  await expect(nav.getByRole("list", { name: "Rooms" }).getByRole("link")).toHaveCount(3);
  for (const next of [1, 2, 0]) {
    await page.keyboard.press("Alt+ArrowDown");
    await expect(page.getByRole("heading", { name: `# ${names[next]}` })).toBeVisible();
  }
  await page.keyboard.press("Alt+ArrowUp");
  await expect(page.getByRole("heading", { name: `# ${names[2]}` })).toBeVisible();

  // someone writes in b: from c, Alt+Shift+Down skips a (read) and goes to b
  const bot = await signUp(browser, "walkbot");
  const socket = await apiClient(baseURL ?? "", bot.username);
  await socket.emitWithAck("room:join", { roomId: ids[1] });
  await socket.emitWithAck("message:send", { roomId: ids[1], body: "look here", clientMsgId: "w1" });
  await socket.emitWithAck("message:send", { roomId: ids[1], body: "and here", clientMsgId: "w2" });
  const bRoom = nav.getByRole("link", { name: new RegExp(`^# ${names[1]}`) });
  await expect(bRoom).toContainText("2 unread messages");
  await page.keyboard.press("Alt+Shift+ArrowDown");
  await expect(page.getByRole("heading", { name: `# ${names[1]}` })).toBeVisible();
  await expect(bRoom).not.toContainText("unread");

  // marked unread from the first of them, then Escape: read again, the line gone
  const first = history(page).getByRole("listitem").filter({ hasText: "look here" });
  await first.hover();
  await first.getByRole("button", { name: "More actions" }).click();
  await page.getByRole("menuitem", { name: "Mark unread from here" }).click();
  await expect(bRoom).toContainText("2 unread messages");
  await expect(page.getByTestId("unread-divider")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByText("Marked as read")).toBeVisible();
  await expect(bRoom).not.toContainText("unread");
  await expect(page.getByTestId("unread-divider")).toHaveCount(0);

  // the list of shortcuts: ? outside a text field, Ctrl+/ anywhere; Escape closes it and nothing else
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await page.getByRole("textbox", { name: "Message", exact: true }).focus();
  await page.keyboard.press("?");
  await expect(help).toHaveCount(0);
  await expect(page.getByRole("textbox", { name: "Message", exact: true })).toHaveValue("?");
  await page.keyboard.press("Control+/");
  await expect(help).toBeVisible();
  await expect(help).toContainText("Previous or next one with unread messages");
  await page.keyboard.press("Escape");
  await expect(help).toHaveCount(0);
  await page.locator("#messages").focus();
  await page.keyboard.press("?");
  await expect(help).toBeVisible();
  socket.disconnect();
});

test("on a phone, home is my rooms and conversations, and a room fills the screen with a way back", async ({ browser }) => {
  const alice = await signUp(browser, "homer", phone);
  const { page } = alice;
  const room = uniqueName("home");
  const roomId = await createRoom(page, room);
  const back = page.getByRole("link", { name: "Lobby", exact: true });
  await expect(back).toBeVisible();
  // the room has the whole width: no sidebar beside it
  await expect(page.getByRole("navigation", { name: "Your rooms and conversations" })).toBeHidden();
  const scroller = await page.getByTestId("message-scroller").boundingBox();
  expect(scroller?.width).toBeGreaterThan(380);
  // and nothing is wider than the phone (which would make the browser zoom the whole page out)
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await back.click();
  await expect(page).toHaveURL(/\/$/);
  const home = page.getByRole("navigation", { name: "Your rooms and conversations" });
  await expect(home).toBeVisible();
  await expect(home.getByRole("link", { name: `# ${room}` })).toBeVisible();
  // it comes before the list of every room, full width
  const [mine, all] = [
    await home.boundingBox(),
    await page.getByRole("main").getByRole("heading", { name: "Rooms", exact: true }).boundingBox(),
  ];
  expect(mine && all && mine.y < all.y).toBe(true);
  expect(mine?.width).toBeGreaterThan(380);
  // no keyboard for Ctrl+K: the magnifier in the header opens the switcher
  await page.getByRole("button", { name: "Search or jump to…" }).click();
  const switcher = page.getByRole("dialog", { name: "Search, or go to a room or a person" });
  await switcher.getByRole("combobox").fill(room.slice(0, 6));
  await switcher.getByRole("option", { name: new RegExp(room) }).click();
  await expect(page).toHaveURL(new RegExp(`/rooms/${roomId}$`));
});

test("walking between rooms asks for the sidebar's lists once, and they stay live", async ({ browser, baseURL }) => {
  const { alice, bob, first, firstId, second, secondId } = await twoRoomsAndAGuest(
    browser,
    ["walker", "talker"],
    ["walk-a", "walk-b"],
  );

  // what the tab asks the server from here on, over its one socket
  const asked: string[] = [];
  alice.page.on("websocket", (ws) => ws.on("framesent", ({ payload }) => asked.push(String(payload))));
  await alice.page.reload();
  const nav = alice.page.getByRole("navigation", { name: "Your rooms and conversations" });
  const rooms = nav.getByRole("list", { name: "Rooms", exact: true });
  await expect(rooms.getByRole("link", { name: `# ${second}` })).toHaveAttribute("aria-current", "page");
  const lists = () => asked.filter((frame) => /"(room:mine|dm:list|user:unread|user:settings)"/.test(frame));
  await expect.poll(() => lists().length).toBe(4);

  // all the while, events that change none of those lists: someone typing, five times a second
  // from ten tabs in turn (each may say so once in two seconds), so that some arrive between one
  // page going and the next coming
  const typists = await Promise.all(Array.from({ length: 10 }, () => apiClient(baseURL as string, bob.username)));
  let turn = 0;
  const typing = setInterval(() => typists[turn++ % typists.length].emit("typing", { roomId: firstId }), 200);

  for (const [name, id] of [
    [first, firstId],
    [second, secondId],
    [first, firstId],
  ]) {
    await rooms.getByRole("link", { name: new RegExp(`^# ${name}`) }).click();
    await expect(alice.page).toHaveURL(new RegExp(`/rooms/${id}$`));
    await expect(rooms.getByRole("link", { name: `# ${name}` })).toHaveAttribute("aria-current", "page");
  }
  clearInterval(typing);
  for (const typist of typists) typist.disconnect();
  // the last room's join goes out once its thread is on the page, which can be just after the
  // sidebar marks it: each navigation joined its room, and none asked for the lists again
  await expect.poll(() => asked.filter((frame) => frame.includes('"room:join"')).length).toBeGreaterThanOrEqual(4);
  expect(lists()).toHaveLength(4);

  // the lists a navigation kept still follow what happens
  await rooms.getByRole("link", { name: new RegExp(`^# ${second}`) }).click();
  await expect(rooms.getByRole("link", { name: `# ${second}` })).toHaveAttribute("aria-current", "page");
  await send(bob.page, "while you were next door");
  await expect(rooms.getByRole("link", { name: new RegExp(`^# ${first}`) })).toContainText("1 unread message");
  await expect(alice.page).toHaveTitle(/^\(1\) /);
  expect(lists()).toHaveLength(4);
});

test("the lobby and its sidebar ask for my conversations once, both follow new messages alike, and who is online", async ({
  browser,
  baseURL,
}) => {
  const alice = await signUp(browser, "dmhome");
  const bots = [];
  for (const prefix of ["dmbob", "dmcarol", "dmdave"]) {
    const { page, username } = await signUp(browser, prefix);
    bots.push({ username, socket: await apiClient(baseURL as string, username) });
    await page.context().close();
  }
  const [b, c, d] = bots;
  // an older conversation with one, a newer one with the other
  await b.socket.emitWithAck("dm:send", { toUsername: alice.username, body: "first of all", clientMsgId: "h1" });
  await c.socket.emitWithAck("dm:send", { toUsername: alice.username, body: "and then", clientMsgId: "h2" });

  const asked: string[] = [];
  alice.page.on("websocket", (ws) => ws.on("framesent", ({ payload }) => asked.push(String(payload))));
  await alice.page.reload();
  const lobby = lobbyList(alice.page, "Direct messages");
  const sidebar = alice.page
    .getByRole("navigation", { name: "Your rooms and conversations" })
    .getByRole("list", { name: "Direct messages", exact: true });
  await expect(lobby.getByRole("link")).toHaveText([new RegExp(`@${c.username}`), new RegExp(`@${b.username}`)]);
  await expect(sidebar.getByRole("link", { name: new RegExp(`@${b.username}`) })).toContainText("1 unread");
  const lists = () => asked.filter((frame) => frame.includes('"dm:list"'));
  expect(lists()).toHaveLength(1);

  // two more from the older one: it comes first, counted once in each list
  await b.socket.emitWithAck("dm:send", { toUsername: alice.username, body: "second", clientMsgId: "h3" });
  await b.socket.emitWithAck("dm:send", { toUsername: alice.username, body: "third", clientMsgId: "h4" });
  await expect(lobby.getByRole("link")).toHaveText([new RegExp(`@${b.username}`), new RegExp(`@${c.username}`)]);
  await expect(lobby.getByRole("link", { name: new RegExp(`@${b.username}`) })).toContainText("3 unread");
  await expect(sidebar.getByRole("link", { name: new RegExp(`@${b.username}`) })).toContainText("3 unread");
  expect(lists()).toHaveLength(1);

  // a conversation neither list has yet: both ask for it together, once
  await d.socket.emitWithAck("dm:send", { toUsername: alice.username, body: "hello there", clientMsgId: "h5" });
  await expect(lobby.getByRole("link").first()).toContainText(`@${d.username}`);
  await expect(sidebar.getByRole("link", { name: new RegExp(`@${d.username}`) })).toContainText("1 unread");
  expect(lists()).toHaveLength(2);
  d.socket.disconnect();

  // they share no room with alice, and she still sees them come and go: in the lobby, and in the conversation
  const row = (bot: { username: string }) => lobby.getByRole("link", { name: new RegExp(`@${bot.username}`) });
  await expect(row(b)).toContainText("online");
  b.socket.disconnect();
  await expect(row(b)).toContainText("offline");
  await expect(row(c)).toContainText("online");
  await row(c).click();
  const subtitle = alice.page.getByText(/^Private conversation · /);
  await expect(subtitle).toHaveText("Private conversation · online");
  c.socket.disconnect();
  await expect(subtitle).toHaveText("Private conversation · offline");
  // back while she is elsewhere: the lobby she returns to says so
  b.socket.connect();
  await alice.page.getByRole("link", { name: "Lobby", exact: true }).click();
  await expect(row(b)).toContainText("online");
  await expect(row(c)).toContainText("offline");
  b.socket.disconnect();
});

test("the lobby's member and online counts follow people as they come, go, join and leave, without asking again", async ({
  browser,
  baseURL,
}) => {
  const alice = await signUp(browser, "counter");
  const room = uniqueName("counts");
  const roomId = await createRoom(alice.page, room);
  const bob = await signUp(browser, "comer");
  await bob.page.context().close();
  const socket = await apiClient(baseURL as string, bob.username);

  const asked: string[] = [];
  alice.page.on("websocket", (ws) => ws.on("framesent", ({ payload }) => asked.push(String(payload))));
  await alice.page.goto("/");
  const counts = lobbyList(alice.page, "Rooms").getByRole("link", { name: new RegExp(`^${room}`) });
  await expect(counts).toContainText("1 member · 1 online");
  const lists = () => asked.filter((frame) => frame.includes('"room:list"'));
  expect(lists()).toHaveLength(1);

  await socket.emitWithAck("room:join", { roomId });
  await expect(counts).toContainText("2 members · 2 online");
  socket.disconnect();
  await expect(counts).toContainText("2 members · 1 online");
  socket.connect();
  await expect(counts).toContainText("2 members · 2 online");
  await socket.emitWithAck("room:leave", { roomId });
  await expect(counts).toContainText("1 member · 1 online");
  socket.disconnect();
  expect(lists()).toHaveLength(1);
});

test("the lobby's counts of a room I am not in follow its members too, until I leave the lobby", async ({ browser, baseURL }) => {
  const [alice, carol] = [await signUp(browser, "opener"), await signUp(browser, "joiner")];
  await Promise.all([alice.page.context().close(), carol.page.context().close()]);
  const [alices, carols] = [
    await apiClient(baseURL as string, alice.username),
    await apiClient(baseURL as string, carol.username),
  ];
  const room = uniqueName("outside");
  const { room: created } = await alices.emitWithAck("room:create", { name: room });
  const bob = await signUp(browser, "looker");
  const sent: string[] = [];
  bob.page.on("websocket", (ws) => ws.on("framesent", ({ payload }) => sent.push(String(payload))));
  await bob.page.goto("/");
  const counts = lobbyList(bob.page, "Rooms").getByRole("link", { name: new RegExp(`^${room}`) });
  await expect(counts).toContainText("1 member · 1 online");

  await carols.emitWithAck("room:join", { roomId: created.id });
  await expect(counts).toContainText("2 members · 2 online");
  alices.disconnect();
  await expect(counts).toContainText("2 members · 1 online");
  await carols.emitWithAck("room:leave", { roomId: created.id });
  await expect(counts).toContainText("1 member · 0 online");
  expect(sent.filter((frame) => frame.includes('"room:list"'))).toHaveLength(1);

  // a page that is not the lobby hears them no more
  await bob.page.getByRole("button", { name: `Account: ${bob.username}` }).click();
  await bob.page.getByRole("link", { name: "Account settings" }).click();
  await expect(bob.page).toHaveURL(/\/settings$/);
  await expect.poll(() => sent.some((frame) => frame.includes('"room:unwatch"'))).toBe(true);
  carols.disconnect();
});

test("taken out of a public room, I still see it in the lobby, with one member fewer, at once", async ({ browser, baseURL }) => {
  const alice = await signUp(browser, "host");
  const room = uniqueName("kickcount");
  const roomId = await createRoom(alice.page, room);
  const bob = await signUp(browser, "guest");
  const bobs = await apiClient(baseURL as string, bob.username);
  const joined = await bobs.emitWithAck("room:join", { roomId });
  const bobId = joined.room.members.find((m: { username: string }) => m.username === bob.username).id;
  bobs.disconnect();
  await bob.page.goto("/");
  const counts = lobbyList(bob.page, "Rooms").getByRole("link", { name: new RegExp(`^${room}`) });
  await expect(counts).toContainText("2 members · 2 online");

  const alices = await apiClient(baseURL as string, alice.username);
  expect(await alices.emitWithAck("room:kick", { roomId, userId: bobId })).toMatchObject({ ok: true });
  await expect(counts).toContainText("1 member · 1 online");
  // and from then on follows its members as any room I am not in does
  const carol = await signUp(browser, "after");
  await carol.page.context().close();
  const carols = await apiClient(baseURL as string, carol.username);
  await carols.emitWithAck("room:join", { roomId });
  await expect(counts).toContainText("2 members · 2 online");
  carols.disconnect();
  await expect(counts).toContainText("2 members · 1 online");
  // as the server counts it
  await bob.page.reload();
  await expect(counts).toContainText("2 members · 1 online");
  alices.disconnect();
});
