// The server admin's page and a person's own account (issue 15): registration by invitation,
// deactivation that ends someone's session in their open browser, and a password change that
// signs every other device out.
import { expect } from "@playwright/test";
import { history, makeAdmin, PASSWORD, send, signUp, test, uniqueName } from "./helpers";

test("an admin makes registration invite-only, invites someone in, and deactivates them", async ({ browser, baseURL }) => {
  const admin = await signUp(browser, "root");
  makeAdmin(admin.username);
  try {
    await admin.page.getByRole("button", { name: /^Account: / }).click();
    await admin.page.getByRole("link", { name: "Server admin" }).click();
    await expect(admin.page.getByRole("heading", { name: "Server admin" })).toBeVisible();

    const server = admin.page.getByRole("region", { name: "Server" });
    await server.getByLabel("Only people with an invitation").check();
    await server.getByRole("button", { name: "Save settings" }).click();
    await expect(server.getByRole("status")).toHaveText("Saved.");
    await server.getByRole("button", { name: "Create and copy an invite" }).click();
    const url = await server.getByRole("textbox", { name: "Server invite link" }).first().inputValue();

    // without the invitation, no "Create account"; with it, an account
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto("/login");
    await expect(visitor.getByText("New accounts are by invitation")).toBeVisible();
    await expect(visitor.getByRole("button", { name: "Create account" })).toHaveCount(0);
    await visitor.goto(new URL(url).pathname + new URL(url).search);
    const name = uniqueName("invited");
    await visitor.getByLabel("Username").fill(name);
    await visitor.getByLabel("Password").fill(PASSWORD);
    await visitor.getByRole("button", { name: "Create account" }).click();
    await expect(visitor.getByRole("main").getByRole("heading", { name: "Rooms" })).toBeVisible();

    // deactivated: their open page goes to sign-in, and signing in says why it cannot
    const people = admin.page.getByRole("region", { name: "People" });
    await people.getByRole("searchbox", { name: "Find someone by name" }).fill(name);
    const row = people.getByRole("listitem").filter({ hasText: name });
    await row.getByRole("button", { name: "Deactivate" }).click();
    await expect(row).toContainText("deactivated");
    await expect(visitor).toHaveURL(/\/login/);
    await visitor.getByLabel("Username").fill(name);
    await visitor.getByLabel("Password").fill(PASSWORD);
    await visitor.getByRole("button", { name: "Sign in" }).click();
    await expect(visitor.getByRole("main").getByRole("alert")).toHaveText("This account was deactivated by a server admin.");
  } finally {
    // the rest of the suite signs people up
    const res = await admin.page.request.put("/api/admin/settings", {
      data: { registration: "open" },
      headers: { origin: baseURL as string },
    });
    expect(res.status()).toBe(200);
  }
});

test("a new password signs every other device out; this one goes on; the profile shows everywhere", async ({ browser }) => {
  const ann = await signUp(browser, "owner");
  const other = await browser.newContext();
  const phone = await other.newPage();
  await phone.goto("/login");
  await phone.getByLabel("Username").fill(ann.username);
  await phone.getByLabel("Password").fill(PASSWORD);
  await phone.getByRole("button", { name: "Sign in" }).click();
  await expect(phone.getByRole("main").getByRole("heading", { name: "Rooms" })).toBeVisible();

  await ann.page.goto("/settings");
  await ann.page.getByLabel("Display name").fill("Ann Lee");
  await ann.page.getByLabel("Status").fill("Shipping the release");
  await ann.page.getByRole("button", { name: "Save profile" }).click();
  await expect(ann.page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await ann.page.getByLabel("Current password").fill(PASSWORD);
  await ann.page.getByLabel("New password").fill("a much better passphrase");
  await ann.page.getByRole("button", { name: "Change password" }).click();
  await expect(ann.page.getByRole("status").filter({ hasText: "Password changed" })).toBeVisible();
  await expect(phone).toHaveURL(/\/login/);

  // this browser still talks, under the display name
  await ann.page.goto("/");
  await ann.page.getByLabel("Room name").fill(uniqueName("after"));
  await ann.page.getByRole("button", { name: "Create room" }).click();
  await send(ann.page, "still here");
  const mine = history(ann.page).getByRole("listitem").filter({ hasText: "still here" });
  await expect(mine.getByRole("button", { name: /Ann Lee/ })).toBeVisible();
  await mine.getByRole("button", { name: /Ann Lee/ }).click();
  const card = ann.page.getByRole("dialog", { name: "Ann Lee's profile" });
  await expect(card).toContainText(`@${ann.username}`);
  await expect(card).toContainText("Shipping the release");
  await other.close();
});
