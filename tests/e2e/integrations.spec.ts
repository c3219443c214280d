// Integrations in the browser (issue 18): a bot made and given a token in the settings page
// posts over plain HTTP and shows as a bot; an incoming webhook made in the room's settings
// takes a Slack-style payload; a revoked token stops working.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "@playwright/test";
import sharp from "sharp";
import { createRoom, history, PASSWORD, send, signUp, test, uniqueName } from "./helpers";

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
  await section.getByLabel("Name people see (optional)").fill("Deploy bot");
  await section.getByRole("button", { name: "Create bot" }).click();
  const bots = section.getByRole("list", { name: "Your bots" });
  await expect(bots).toContainText(`@${botName}`);
  await expect(bots).toContainText("In no room yet");
  await section.getByLabel(`Add ${botName} to a room`).selectOption({ label: room });
  await expect(bots).toContainText(`In ${room}`);
  // its picture, chosen by its owner: shown wherever the bot is
  await section.getByLabel(`A picture for ${botName}`).setInputFiles({
    name: "bot.png",
    mimeType: "image/png",
    buffer: await sharp({ create: { width: 64, height: 64, channels: 3, background: "#22aa55" } })
      .png()
      .toBuffer(),
  });
  await expect(bots.locator("img")).toHaveAttribute("src", /\/api\/users\/.+\/avatar\?v=1/);

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

  // a bot never signs in through the browser, whatever password is tried
  const outsider = await (await browser.newContext()).newPage();
  await outsider.goto("/login");
  await outsider.getByLabel("Username").fill(botName);
  await outsider.getByLabel("Password").fill(PASSWORD);
  await outsider.getByRole("button", { name: "Sign in" }).click();
  await expect(outsider.getByRole("main").getByRole("alert")).toHaveText("Wrong username or password.");
  await expect(outsider).toHaveURL(/\/login/);

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
  const botMember = page.getByRole("list", { name: "Members" }).getByRole("listitem").filter({ hasText: "Deploy bot" });
  await expect(botMember).toContainText("Bot");
  await expect(botMember).toContainText("offline");

  // an incoming webhook, made in the room's settings
  await page.getByRole("button", { name: "Settings" }).click();
  const settings = page.getByRole("dialog", { name: `#${room} settings` });
  await settings.getByLabel("Webhook name").fill("Grafana alerts");
  await settings.getByRole("button", { name: "Create webhook" }).click();
  const url = (await settings.getByTestId("webhook-secret").textContent()) ?? "";
  expect(url).toMatch(/\/hooks\/[\w-]+$/);
  await expect(settings.getByRole("list", { name: "Webhooks" })).toContainText("Grafana alerts");
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

  // an outgoing webhook to a service on this machine, which answers
  const service = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end('{"text":"Deployed *main* to staging"}'));
  });
  await new Promise<void>((resolve) => service.listen(0, "127.0.0.1", resolve));
  await page.getByRole("button", { name: "Settings" }).click();
  await settings.getByLabel("Outgoing").check();
  await settings.getByLabel("URL to send messages to").fill(`http://127.0.0.1:${(service.address() as AddressInfo).port}/`);
  await settings.getByLabel(/Trigger words/).fill("deploy");
  await settings.getByLabel("Webhook name").fill("Deployer");
  await settings.getByRole("button", { name: "Create webhook" }).click();
  await expect(settings.getByTestId("webhook-secret")).toHaveText(/^[0-9a-f]{64}$/);
  await expect(settings.getByRole("list", { name: "Webhooks" })).toContainText("outgoing to 127.0.0.1");
  await page.screenshot({ path: test.info().outputPath("integrations-webhooks.png") });
  await settings.getByRole("button", { name: "Close" }).click();
  // its bot joined the room, live, and is not online: a bot has no connection of its own
  const deployer = page.getByRole("list", { name: "Members" }).getByRole("listitem").filter({ hasText: "Deployer" });
  await expect(deployer).toContainText("Bot");
  await expect(deployer).toContainText("offline");
  await send(page, "deploy main");
  const answer = history(page).getByRole("listitem").filter({ hasText: "Deployed main to staging" });
  await expect(answer).toContainText("Deployer");
  await expect(answer.getByTestId("reply-quote")).toContainText("deploy main");
  service.close();

  // after a reload, the same
  await page.reload();
  await expect(
    history(page).getByRole("listitem").filter({ hasText: "Disk almost full" }).getByTestId("via-webhook"),
  ).toBeVisible();

  // the room's history as a zip, from its settings
  await page.getByRole("button", { name: "Settings" }).click();
  const roomSettings = page.getByRole("dialog", { name: `#${room} settings` });
  await roomSettings.getByRole("button", { name: "Export history" }).click();
  const roomZip = roomSettings.getByRole("link", { name: /^Download \(/ });
  await expect(roomZip).toBeVisible({ timeout: 20_000 });
  const [roomDownload] = await Promise.all([page.waitForEvent("download"), roomZip.click()]);
  expect(roomDownload.suggestedFilename()).toMatch(new RegExp(`^komnata-${room}-\\d{4}-\\d\\d-\\d\\d\\.zip$`));
  await roomSettings.getByRole("button", { name: "Close" }).click();

  // revoked in the settings page: refused at once
  await page.goto("/settings");
  const list = page.getByRole("region", { name: "Bots and API tokens" }).getByRole("list", { name: "API tokens" });
  await expect(list).not.toContainText("never used");
  await list.getByRole("listitem").filter({ hasText: "CI pipeline" }).getByRole("button", { name: "Revoke" }).click();
  await expect(list).not.toContainText("CI pipeline");
  expect((await post("too late", "late")).status).toBe(401);

  // my own data, from the same page; the room's export is listed there too
  const data = page.getByRole("region", { name: "Your data" });
  await expect(data.getByRole("list", { name: "Exports" })).toContainText(`History of #${room}`);
  await data.getByRole("button", { name: "Export my data" }).click();
  const mine = data.getByTestId("export-row").filter({ hasText: "My data" });
  await expect(mine.getByRole("link", { name: /^Download \(/ })).toBeVisible({ timeout: 20_000 });
  await page.screenshot({ path: test.info().outputPath("integrations-exports.png"), fullPage: true });
});
