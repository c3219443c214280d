import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect } from "@playwright/test";
import sharp from "sharp";
import { createRoom, history, roomLink, signUp, test, uniqueName } from "./helpers";

test("a file shared in one browser downloads byte-identical in another, from the room and from its Files view", async ({
  browser,
}) => {
  const alice = await signUp(browser, "sharer");
  const bob = await signUp(browser, "getter");
  const roomName = uniqueName("docs");
  await createRoom(alice.page, roomName);
  await roomLink(bob.page, roomName).click();
  await expect(bob.page.getByRole("heading", { name: `# ${roomName}` })).toBeVisible();

  // a slow uplink, so the progress bar is seen
  const cdp = await alice.page.context().newCDPSession(alice.page);
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 20,
    downloadThroughput: -1,
    uploadThroughput: 1024 * 1024,
  });
  const data = randomBytes(2_500_000);
  const picked = 'Квартальный отчёт "final".bin';
  // stored and served without the quotes, which Windows forbids in file names
  const name = "Квартальный отчёт _final_.bin";
  await alice.page
    .getByLabel("Files to share")
    .setInputFiles({ name: picked, mimeType: "application/octet-stream", buffer: data });
  const progress = alice.page.getByRole("progressbar", { name: `Uploading ${picked}` });
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute("aria-valuenow", /^[1-9]\d?$/);
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });

  // Bob sees it arrive live, with its size
  const card = history(bob.page).getByTestId("shared-file");
  await expect(card).toContainText(name);
  await expect(card).toContainText("2.4 MB");
  await expect(progress).toHaveCount(0);
  const fromRoom = bob.page.waitForEvent("download");
  await card.getByRole("link", { name: `Download ${name}` }).click();
  const first = await fromRoom;
  expect(first.suggestedFilename()).toBe(name);
  expect((await readFile(await first.path())).equals(data)).toBe(true);

  // and in the room's Files view
  await bob.page.getByRole("link", { name: "Files", exact: true }).click();
  await expect(bob.page.getByRole("heading", { name: "Shared files" })).toBeVisible();
  const row = bob.page.getByRole("list", { name: "Files" }).getByRole("listitem");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(name);
  await expect(row).toContainText(alice.username);
  const fromFiles = bob.page.waitForEvent("download");
  await row.getByRole("link", { name: `Download ${name}` }).click();
  expect((await readFile(await (await fromFiles).path())).equals(data)).toBe(true);

  // the Files view updates live too
  await alice.page
    .getByLabel("Files to share")
    .setInputFiles({ name: "later.txt", mimeType: "text/plain", buffer: Buffer.from("more") });
  await expect(row).toHaveCount(2);
  await expect(row.first()).toContainText("later.txt");

  // the lobby shows the newest files from everywhere, and leads to all of them, searchable
  await bob.page.goto("/");
  const recent = bob.page.getByRole("list", { name: "Recent files" });
  await expect(recent.getByRole("listitem")).toHaveCount(2);
  await expect(recent.getByRole("listitem").first()).toContainText(`later.txt#${roomName}`);
  await bob.page.getByRole("link", { name: "All files" }).click();
  await expect(bob.page.getByRole("heading", { name: "All files" })).toBeVisible();
  const all = bob.page.getByRole("list", { name: "Files" }).getByRole("listitem");
  await expect(all).toHaveCount(2);
  await expect(all.first()).toContainText(`in #${roomName}`);
  await bob.page.getByLabel("Search files").fill("КВАРТАЛ");
  await expect(all).toHaveCount(1);
  await expect(all).toContainText(name);
  await bob.page.getByLabel("Search files").fill("no such file");
  await expect(bob.page.getByText("No file matches “no such file”.")).toBeVisible();

  // Alice takes one back, after saying yes: it leaves Bob's list live, and its message says so
  await bob.page.getByLabel("Search files").fill("");
  await expect(all).toHaveCount(2);
  const later = history(alice.page).getByTestId("shared-file").filter({ hasText: "later.txt" });
  await later.getByRole("button", { name: "Remove later.txt" }).click();
  await alice.page.getByRole("group", { name: "Remove later.txt?" }).getByRole("button", { name: "Remove" }).click();
  await expect(history(alice.page).getByTestId("removed-file")).toHaveCount(1);
  await expect(all).toHaveCount(1);
  await expect(all).toContainText(name);
  // Bob has no way to remove Alice's file
  await expect(bob.page.getByRole("button", { name: `Remove ${name}` })).toHaveCount(0);
  await bob.page
    .getByRole("link", { name: `#${roomName}` })
    .first()
    .click();
  await expect(history(bob.page).getByTestId("removed-file")).toHaveText("File removed");
  await expect(history(bob.page).getByTestId("shared-file")).toHaveCount(1);
});

test("pictures show as thumbnails; files can be dropped on the conversation; too large is said at once", async ({ browser }) => {
  const alice = await signUp(browser, "dropper");
  const roomName = uniqueName("pics");
  await createRoom(alice.page, roomName);
  const page = alice.page;

  const png = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#2a9d8f" } })
    .png()
    .toBuffer();
  await page.getByLabel("Files to share").setInputFiles({ name: "chart.png", mimeType: "image/png", buffer: png });
  const thumbnail = history(page).getByRole("img", { name: "chart.png" });
  await expect(thumbnail).toBeVisible();
  await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);

  // drag a file over the conversation: it says what a drop does, and the drop shares it
  // (six at once: more than the server takes from one person at a time, so some wait their turn)
  const drop = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    for (let i = 1; i <= 6; i++) transfer.items.add(new File([`dropped text ${i}`], `dropped-${i}.txt`, { type: "text/plain" }));
    return transfer;
  });
  const conversation = page.getByRole("region", { name: "Conversation" });
  await conversation.dispatchEvent("dragenter", { dataTransfer: drop });
  await expect(page.getByText(`Drop files to share them in #${roomName}`)).toBeVisible();
  await conversation.dispatchEvent("drop", { dataTransfer: drop });
  await expect(page.getByText(`Drop files to share them in #${roomName}`)).toHaveCount(0);
  for (let i = 1; i <= 6; i++) {
    await expect(history(page).getByRole("link", { name: `Download dropped-${i}.txt` })).toBeVisible();
  }
  await expect(history(page).locator('li[data-status="failed"]')).toHaveCount(0);

  // over MAX_UPLOAD_MB (5 in these tests): refused before a byte is sent, and can be removed
  await page
    .getByLabel("Files to share")
    .setInputFiles({ name: "huge.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(5 * 1024 * 1024 + 1) });
  await expect(history(page).getByRole("alert")).toContainText("Too large: the limit is 5 MB.");
  await history(page).getByRole("button", { name: "Remove huge.bin" }).click();
  await expect(history(page).getByText("huge.bin")).toHaveCount(0);

  // someone outside the room is told to join before seeing its files
  const stranger = await signUp(browser, "outsider");
  await stranger.page.goto(page.url().replace(/\/?$/, "/files"));
  await expect(stranger.page.getByText(`Only members see what is shared in #${roomName}.`)).toBeVisible();
  await stranger.page.getByRole("button", { name: `Join #${roomName}` }).click();
  await expect(stranger.page.getByRole("list", { name: "Files" }).getByRole("listitem")).toHaveCount(7);
});

test("a file shared in a private conversation is listed in its Files view for the two of them", async ({ browser }) => {
  const alice = await signUp(browser, "pmfile");
  const bob = await signUp(browser, "pmpeer");
  await alice.page.goto(`/messages/${bob.username}`);
  await expect(alice.page.getByRole("button", { name: "Send" })).toBeVisible();
  await expect(alice.page.getByRole("button", { name: "Attach files" })).toBeEnabled();
  const data = randomBytes(40_000);
  // the first message of the conversation is a file
  await alice.page
    .getByLabel("Files to share")
    .setInputFiles({ name: "contract.pdf", mimeType: "application/pdf", buffer: data });
  await expect(history(alice.page).getByRole("link", { name: "Download contract.pdf" })).toBeVisible();

  await bob.page.goto(`/messages/${alice.username}/files`);
  await expect(bob.page.getByRole("heading", { name: `Files with @${alice.username}` })).toBeVisible();
  const row = bob.page.getByRole("list", { name: "Files" }).getByRole("listitem");
  await expect(row).toHaveCount(1);
  const download = bob.page.waitForEvent("download");
  await row.getByRole("link", { name: "Download contract.pdf" }).click();
  expect((await readFile(await (await download).path())).equals(data)).toBe(true);

  // someone else finds nothing there
  const carol = await signUp(browser, "pmnosy");
  await carol.page.goto(`/messages/${alice.username}/files`);
  await expect(carol.page.getByText("Nothing shared here yet.")).toBeVisible();
});

test("a picture opens in a viewer over the page (zoom, next and previous, download); a PDF opens in the browser's viewer", async ({
  browser,
}) => {
  const alice = await signUp(browser, "viewer");
  const roomName = uniqueName("gallery");
  await createRoom(alice.page, roomName);
  const { page } = alice;
  const picture = (width: number, height: number, background: string) =>
    sharp({ create: { width, height, channels: 3, background } })
      .png()
      .toBuffer();
  await page
    .getByLabel("Files to share")
    .setInputFiles({ name: "wide.png", mimeType: "image/png", buffer: await picture(2400, 1600, "#e76f51") });
  await expect(history(page).getByRole("img", { name: "wide.png" })).toBeVisible();
  await page
    .getByLabel("Files to share")
    .setInputFiles({ name: "small.png", mimeType: "image/png", buffer: await picture(300, 200, "#264653") });
  await expect(history(page).getByRole("img", { name: "small.png" })).toBeVisible();
  const pdf = Buffer.from(
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
  );
  await page.getByLabel("Files to share").setInputFiles({ name: "Report.pdf", mimeType: "application/pdf", buffer: pdf });
  const open = history(page).getByRole("link", { name: "Open Report.pdf in a new tab" });
  await expect(open).toBeVisible();

  // the first picture, fitted to the screen, from the preview made on the server
  const thumbnail = history(page).getByRole("button", { name: "wide.png", exact: true });
  await thumbnail.click();
  const viewer = page.getByRole("dialog", { name: "Picture: wide.png" });
  await expect(viewer).toBeVisible();
  await expect(viewer).toContainText("1 of 2");
  const shown = viewer.getByRole("img", { name: "wide.png" });
  await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2048);
  expect(await shown.getAttribute("src")).toMatch(/\/preview$/);
  const stage = viewer.getByTestId("viewer-stage");
  const fits = () => stage.evaluate((el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight);
  expect(await fits()).toBe(true);
  // zoomed in it is larger than the screen and scrolls; back to fitted
  await viewer.getByRole("button", { name: "Zoom in" }).click();
  await expect(viewer.getByRole("button", { name: "Fit to the screen" })).toHaveText("100%");
  await expect.poll(fits).toBe(false);
  await page.keyboard.press("0");
  await expect.poll(fits).toBe(true);

  // the next picture by key, the previous by button; the download is the original file
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("dialog", { name: "Picture: small.png" })).toContainText("2 of 2");
  await expect(viewer.getByRole("button", { name: "Next picture" })).toHaveCount(0);
  const download = page.waitForEvent("download");
  await page.getByRole("dialog").getByRole("link", { name: "Download small.png" }).click();
  expect((await download).suggestedFilename()).toBe("small.png");
  await page.getByRole("dialog").getByRole("button", { name: "Previous picture" }).click();
  await expect(viewer).toContainText("1 of 2");
  // Escape closes it and nothing else: the keyboard is back on the picture it came from
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(thumbnail).toBeFocused();
  await expect(page.getByText("Marked as read")).toHaveCount(0);

  // the PDF: a new tab with the browser's viewer, not a download; the card's own link still downloads
  const [tab] = await Promise.all([page.waitForEvent("popup"), open.click()]);
  await expect(tab).toHaveURL(/\/api\/files\/[\w-]+\/view$/);
  await tab.close();
  await expect(history(page).getByRole("link", { name: "Download Report.pdf" })).toHaveAttribute("download", "Report.pdf");
});
