import { expect } from "@playwright/test";
import { createRoom, history, PASSWORD, send, signOut, signUp, test, uniqueName } from "./helpers";

test("every page runs under its strict Content-Security-Policy without a single violation", async ({ browser }) => {
  const alice = await signUp(browser, "csp");
  const violations: string[] = [];
  alice.page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await alice.page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(
        `Refused to: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`,
      ),
    );
  });

  const page = await alice.page.goto("/");
  const headers = page?.headers() ?? {};
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["permissions-policy"]).toContain("camera=()");

  // the theme script ran (the html element has its class) and the app is interactive
  await expect(alice.page.getByRole("main").getByRole("heading", { name: "Rooms" })).toBeVisible();
  await alice.page.getByRole("button", { name: "Toggle theme" }).click();
  const roomId = await createRoom(alice.page, uniqueName("csp"));
  await send(alice.page, "under a strict policy");
  await expect(history(alice.page).locator('li[data-status="sent"]').getByText("under a strict policy")).toBeVisible();
  await alice.page.goto(`/rooms/${roomId}/files`);
  await expect(alice.page.getByRole("heading", { name: "Shared files" })).toBeVisible();
  await alice.page.reload();
  await expect(alice.page.locator("html")).toHaveClass(/dark/);
  expect(violations).toEqual([]);
});

test("signing out ends the session: its other tabs go to sign-in, and a copy of its cookie opens nothing", async ({
  browser,
}) => {
  const alice = await signUp(browser, "signout");
  const context = alice.page.context();
  await createRoom(alice.page, uniqueName("left-open"));
  const otherTab = await context.newPage();
  await otherTab.goto("/");
  await expect(otherTab.getByRole("main").getByRole("heading", { name: "Rooms" })).toBeVisible();
  const copied = await context.cookies();

  await signOut(alice.page);
  // the tab left open loses its connection and is sent to sign in
  await expect(otherTab).toHaveURL(/\/login/, { timeout: 15_000 });

  // someone who copied the cookie before sign-out gets nothing with it
  const thief = await browser.newContext();
  await thief.addCookies(copied);
  const page = await thief.newPage();
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  const session = await page.request.get("/api/auth/session");
  expect(await session.json()).toEqual({});
});

test("signing out of all devices ends every session of the account, in every browser", async ({ browser }) => {
  const alice = await signUp(browser, "everywhere");
  // the same account in a second browser (another device)
  const laptop = await (await browser.newContext()).newPage();
  await laptop.goto("/login");
  await laptop.getByLabel("Username").fill(alice.username);
  await laptop.getByLabel("Password").fill(PASSWORD);
  await laptop.getByRole("button", { name: "Sign in" }).click();
  await expect(laptop.getByRole("main").getByRole("heading", { name: "Rooms" })).toBeVisible();

  // the menu closes with Escape, and says who is signed in
  await alice.page.getByRole("button", { name: `Account: ${alice.username}` }).click();
  await expect(alice.page.getByText(`Signed in as ${alice.username}`)).toBeVisible();
  await alice.page.keyboard.press("Escape");
  await expect(alice.page.getByText(`Signed in as ${alice.username}`)).toHaveCount(0);

  await signOut(alice.page, true);
  await expect(laptop).toHaveURL(/\/login/, { timeout: 15_000 });
  await laptop.goto("/");
  await expect(laptop).toHaveURL(/\/login/);
});
