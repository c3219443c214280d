import path from "node:path";
import { type Browser, type BrowserContextOptions, test as base, expect, type Locator, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { io, type Socket } from "socket.io-client";

/**
 * Playwright's `test`, closing every browser context a test opened with `browser.newContext()`
 * once it ends: Playwright closes only its own `context` fixture, and a context left open keeps its
 * pages connected, rendering and animating through every later test of the run.
 */
export const test = base.extend<{ closesItsContexts: undefined }>({
  closesItsContexts: [
    async ({ browser }, use) => {
      const before = new Set(browser.contexts());
      await use(undefined);
      await Promise.all(browser.contexts().flatMap((c) => (before.has(c) ? [] : [c.close()])));
    },
    { auto: true },
  ],
});

let n = 0;
export function uniqueName(prefix: string): string {
  n += 1;
  return `${prefix}${Date.now().toString(36).slice(-5)}${n}`;
}

export const PASSWORD = "correct horse battery";

/** A new browser context (a phone's, with `options`) with a new account, signed in, on the lobby. */
export async function signUp(
  browser: Browser,
  prefix: string,
  options: BrowserContextOptions = {},
): Promise<{ page: Page; username: string }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const username = uniqueName(prefix);
  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("main").getByRole("heading", { name: "Rooms" })).toBeVisible();
  // the page drawn on the server says so until it runs here and its list is in: a click before
  // that (the account menu, say) would do nothing
  await expect(page.getByRole("main").getByText("Loading rooms…")).toHaveCount(0);
  return { page, username };
}

/** Signs out through the header's account menu: this browser only, or `everywhere`. */
export async function signOut(page: Page, everywhere = false): Promise<void> {
  await page.getByRole("button", { name: /^Account: / }).click();
  await page.getByRole("button", { name: everywhere ? "Sign out of all devices" : "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
}

export async function createRoom(page: Page, name: string, topic = ""): Promise<string> {
  await page.getByLabel("Room name").fill(name);
  if (topic) await page.getByLabel("Topic").fill(topic);
  await page.getByRole("button", { name: "Create room" }).click();
  await expect(page).toHaveURL(/\/rooms\/[\w-]+$/);
  await expect(page.getByRole("heading", { name: `# ${name}` })).toBeVisible();
  return page.url().split("/rooms/")[1];
}

/** Types `text` into the composer and sends it with Enter, once the thread is ready to send. */
export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByRole("textbox", { name: "Message", exact: true });
  await box.fill(text);
  await expect(page.getByRole("button", { name: "Send" })).toBeEnabled();
  await box.press("Enter");
}

/** One of the lobby's own lists ("Rooms", "Direct messages"), not the sidebar's of the same name. */
export const lobbyList = (page: Page, name: string) => page.getByRole("main").getByRole("list", { name, exact: true });

/** A room's entry in the lobby (not its Files link). */
export const roomLink = (page: Page, name: string) =>
  lobbyList(page, "Rooms").getByRole("link", { name: new RegExp(`^${name}`) });

export const history = (page: Page) => page.getByRole("log", { name: "Chat history" });

/** A protocol client for seeding data the way a bot would: HTTP token + Socket.IO. */
export async function apiClient(baseURL: string, username: string): Promise<Socket> {
  const res = await fetch(`${baseURL}/api/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  const { token } = (await res.json()) as { token: string };
  const socket = io(baseURL, { transports: ["websocket"], auth: { token }, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

/**
 * Makes `username` a server admin, as the person with shell access to the server would (the
 * e2e server's SQLite database, beside it in KOMNATA_E2E_DATA): the suite shares one server, whose
 * first account is whichever test signed up first.
 */
export function makeAdmin(username: string): void {
  const db = new Database(path.join(process.env.KOMNATA_E2E_DATA as string, "komnata.db"));
  try {
    db.pragma("busy_timeout = 5000");
    db.prepare(`UPDATE "User" SET "isAdmin" = 1 WHERE "username" = ?`).run(username);
  } finally {
    db.close();
  }
}

/**
 * Waits until React has hydrated the element (it carries React's props): a change made to a
 * server-rendered control before that reaches no handler, as on a slow machine right after load.
 */
export async function hydrated(locator: Locator): Promise<void> {
  await expect
    .poll(() => locator.evaluate((el) => Object.keys(el).some((key) => key.startsWith("__reactProps"))), { timeout: 20_000 })
    .toBe(true);
}
