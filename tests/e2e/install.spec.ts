// Komnata installs as an app (issue 13): a manifest with icons in the sizes browsers ask for, and
// a service worker (for notifications) that the page's strict CSP lets in and that caches nothing.

import { expect } from "@playwright/test";
import sharp from "sharp";
import { signUp, test } from "./helpers";

test("the app has a manifest with its icons and registers a service worker that caches nothing", async ({ browser, request }) => {
  const { page } = await signUp(browser, "installer");
  const refused: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) refused.push(m.text());
  });
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute("href", "/icons/apple-touch-icon.png");

  const manifest = await (await request.get("/manifest.webmanifest")).json();
  expect(manifest).toMatchObject({ name: "Komnata", display: "standalone", start_url: "/", scope: "/" });
  const sizes = new Set<string>();
  for (const icon of manifest.icons as { src: string; sizes: string; type: string; purpose: string }[]) {
    const res = await request.get(icon.src);
    expect(res.status(), icon.src).toBe(200);
    expect(res.headers()["content-type"]).toBe("image/png");
    const { width, height } = await sharp(await res.body()).metadata();
    expect(`${width}x${height}`).toBe(icon.sizes);
    sizes.add(`${icon.sizes} ${icon.purpose}`);
  }
  expect([...sizes]).toEqual(expect.arrayContaining(["192x192 any", "512x512 any", "512x512 maskable"]));

  // registered and active on this origin, allowed by the page's policy
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toBe(new URL("/", page.url()).href);
  const worker = await (await request.get("/sw.js")).text();
  expect(worker).toContain('addEventListener("push"');
  expect(worker).toContain('addEventListener("notificationclick"');
  // it answers no requests: pages always come from the server
  expect(worker).not.toContain('addEventListener("fetch"');
  await page.reload();
  expect(await page.evaluate(() => caches.keys())).toEqual([]);
  expect(refused).toEqual([]);
});
