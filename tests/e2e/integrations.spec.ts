// Integrations in the browser (issue 18): a bot made and given a token in the settings page
// posts over plain HTTP and shows as a bot; an incoming webhook made in the room's settings
// takes a Slack-style payload; a revoked token stops working.
import { expect, test } from "@playwright/test";
import { createRoom, history, signUp, uniqueName } from "./helpers";

test("a bot posts with its token over HTTP, a webhook posts Slack-style, and a revoked token is refused", async ({
  browser,
  baseURL,
}) => {
  const alice = await signUp(browser, "integrator");
  const room = uniqueName("deploys");
  const roomId = await createRoom(alice.page, room);
  const { page } = alice;

  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Bots and API tokens" });
  const botName = uniqueName("deploybot");
  await section.getByLabel("Bot username").fill(botName);
  await section.getByLabel("Display name (optional)").fill("Deploy bot");
  await section.getByRole("button", { name: "Create bot" }).click();
  const bots = section.getByRole("list", { name: "Your bots" });
  await expect(bots).toContainText(`@${botName}`);
  await expect(bots).toContainText("In no room yet");
  await section.getByLabel(`Add ${botName} to a room`).selectOption({ label: room });
  await expect(bots).toContainText(`In ${room}`);

  await section.getByLabel("Token name").fill("CI pipeline");
  await section.getByLabel("Speaks for").selectOption({ label: `For the bot ${botName}` });
  await section
    .getByRole("group", { name: /Only in these rooms/ })
    .getByLabel(room)
    .check();
  await section.getByRole("button", { name: "Create token" }).click();
  const secret = (await section.getByTestId("new-token").textContent()) ?? "";
  expect(secret).toMatch(/^kmn_/);
  const tokens = section.getByRole("list", { name: "API tokens" });
  await expect(tokens).toContainText(`CI pipeline`);
  await expect(tokens).toContainText(`For the bot ${botName} · only in ${room} · never used`);
  await page.screenshot({ path: test.info().outputPath("integrations-settings.png"), fullPage: true });

  const post = (body: string, clientMsgId: string) =>
    fetch(`${baseURL}/api/rooms/${roomId}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ body, clientMsgId }),
    });
  await page.goto(`/rooms/${roomId}`);
  expect((await post("Build **42** passed", "b42")).status).toBe(201);
  const fromBot = history(page).getByRole("listitem").filter({ hasText: "Build 42 passed" });
  await expect(fromBot).toContainText("Deploy bot");
  await expect(fromBot.getByTestId("bot-badge")).toHaveText("bot");
  await expect(fromBot.locator("strong")).toHaveText("42");
  await expect(page.getByRole("list", { name: "Members" })).toContainText("Bot");

  // an incoming webhook, made in the room's settings
  await page.getByRole("button", { name: "Settings" }).click();
  const settings = page.getByRole("dialog", { name: `#${room} settings` });
  await settings.getByLabel("Webhook name").fill("Grafana alerts");
  await settings.getByRole("button", { name: "Create webhook" }).click();
  const url = (await settings.getByTestId("webhook-url").textContent()) ?? "";
  expect(url).toMatch(/\/hooks\/[\w-]+$/);
  await expect(settings.getByRole("list", { name: "Incoming webhooks" })).toContainText("Grafana alerts");
  await settings.getByRole("button", { name: "Close" }).click();
  const hooked = await fetch(`${baseURL}${new URL(url).pathname}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text: "Disk *almost full* on <https://grafana.example/d/1|db-1>", username: "Grafana" }),
  });
  expect(await hooked.text()).toBe("ok");
  const alert = history(page).getByRole("listitem").filter({ hasText: "Disk almost full" });
  await expect(alert).toContainText("Grafana");
  await expect(alert.getByTestId("via-webhook")).toHaveText("via webhook");
  await expect(alert.locator("strong")).toHaveText("almost full");
  await expect(alert.getByRole("link", { name: "db-1" })).toHaveAttribute("href", "https://grafana.example/d/1");
  await page.screenshot({ path: test.info().outputPath("integrations-room.png") });

  // after a reload, the same
  await page.reload();
  await expect(
    history(page).getByRole("listitem").filter({ hasText: "Disk almost full" }).getByTestId("via-webhook"),
  ).toBeVisible();

  // revoked in the settings page: refused at once
  await page.goto("/settings");
  const list = page.getByRole("region", { name: "Bots and API tokens" }).getByRole("list", { name: "API tokens" });
  await expect(list).not.toContainText("never used");
  await list.getByRole("listitem").filter({ hasText: "CI pipeline" }).getByRole("button", { name: "Revoke" }).click();
  await expect(list).not.toContainText("CI pipeline");
  expect((await post("too late", "late")).status).toBe(401);
});
