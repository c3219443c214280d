// Governing a room in the browser (issue 15): a private room nobody else sees, an invite link a
// newcomer opens signed out and signs up through, an invitation by name accepted in the lobby,
// a moderator's deletion, archiving, and a kick the kicked person sees at once.
import { expect } from "@playwright/test";
import { history, PASSWORD, send, signUp, test, uniqueName } from "./helpers";

test("a private room: invited by link through sign-up and by name, moderated, archived, and a kick seen live", async ({
  browser,
}) => {
  const alice = await signUp(browser, "lead");
  const carol = await signUp(browser, "named");
  const name = uniqueName("secret");

  await alice.page.getByLabel("Room name").fill(name);
  await alice.page.getByLabel("Private").check();
  await alice.page.getByRole("button", { name: "Create room" }).click();
  await expect(alice.page.getByRole("heading", { name: `🔒 ${name}` })).toBeVisible();
  // nobody else sees it
  await carol.page.reload();
  await expect(carol.page.getByRole("main")).not.toContainText(name);

  // a link, opened by someone without an account: sign up, and land in the room
  await alice.page.getByRole("button", { name: "Invite", exact: true }).click();
  const dialog = alice.page.getByRole("dialog", { name: `Invite people to #${name}` });
  await dialog.getByRole("button", { name: "Create and copy link" }).click();
  const url = await dialog.getByRole("textbox", { name: "Invite link" }).first().inputValue();
  const newcomer = await browser.newContext();
  const bob = await newcomer.newPage();
  await bob.goto(new URL(url).pathname);
  await expect(bob).toHaveURL(/\/login\?callbackUrl=/);
  const bobName = uniqueName("newcomer");
  await bob.getByLabel("Username").fill(bobName);
  await bob.getByLabel("Password").fill(PASSWORD);
  await bob.getByRole("button", { name: "Create account" }).click();
  await expect(bob.getByRole("heading", { name: `🔒 ${name}` })).toBeVisible();

  // by name: the invitation waits in the lobby
  await dialog.getByLabel("Username").fill(carol.username);
  await dialog.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(dialog.getByRole("status")).toContainText(`Invitation sent to ${carol.username}`);
  await dialog.getByRole("button", { name: "Close" }).click();
  const invitations = carol.page.getByRole("list", { name: "Invitations" });
  await expect(invitations).toContainText(`${alice.username} invited you to 🔒 ${name}`);
  await invitations.getByRole("button", { name: "Join" }).click();
  await expect(carol.page.getByRole("heading", { name: `🔒 ${name}` })).toBeVisible();

  // members see each other's roles; a moderator removes carol's message, marked as such
  const members = alice.page.getByRole("list", { name: "Members" });
  await expect(members).toContainText(bobName);
  await expect(members).toContainText(carol.username);
  await expect(members.getByRole("listitem").filter({ hasText: alice.username })).toContainText("owner");
  await send(carol.page, "a message to moderate");
  const message = history(alice.page).getByRole("listitem").filter({ hasText: "a message to moderate" });
  await message.hover();
  await message.getByRole("button", { name: "More actions" }).click();
  await message.getByRole("menuitem", { name: "Delete message" }).click();
  await message
    .getByRole("group", { name: "Delete this message for everyone?" })
    .getByRole("button", { name: "Delete", exact: true })
    .click();
  await expect(history(carol.page)).toContainText("Removed by a moderator");

  // kicked: the room goes from bob's page and sidebar at once
  await members.getByRole("button", { name: `Manage ${bobName}` }).click();
  const manage = alice.page.getByRole("dialog", { name: bobName });
  await manage.getByRole("button", { name: "Remove from room" }).click();
  await manage
    .getByRole("group", { name: /^Remove .* from the room\?/ })
    .getByRole("button", { name: "Remove from room" })
    .click();
  await expect(bob.getByRole("main").getByRole("alert")).toHaveText(`You were removed from #${name}.`);
  await expect(bob.getByRole("navigation")).not.toContainText(name);
  await expect(members).not.toContainText(bobName);

  // archived: read-only for everyone in it, live
  await alice.page.getByRole("button", { name: "Settings" }).click();
  const settings = alice.page.getByRole("dialog", { name: `#${name} settings` });
  await settings.getByRole("button", { name: "Archive room" }).click();
  await expect(settings.getByRole("button", { name: "Unarchive room" })).toBeVisible();
  await settings.getByRole("button", { name: "Close" }).click();
  await expect(carol.page.getByRole("status").filter({ hasText: "This room is archived" })).toBeVisible();
  await expect(carol.page.getByRole("textbox", { name: "Message", exact: true })).toHaveCount(0);
  await newcomer.close();
});
