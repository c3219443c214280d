// Which addresses an outgoing webhook may reach (server/services/integrations/addresses.ts).
import { describe, expect, it } from "vitest";
import { checkTarget, isPublicAddress, publicLookup } from "../../server/services/integrations/addresses.ts";

describe("outgoing webhook targets", () => {
  it("tells public addresses from private, loopback, link-local and mapped ones", () => {
    for (const a of ["8.8.8.8", "1.1.1.1", "2606:4700::1111", "93.184.216.34"]) expect(isPublicAddress(a), a).toBe(true);
    for (const a of [
      "127.0.0.1",
      "10.0.0.5",
      "172.16.3.4",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "::",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      "not an address",
    ]) {
      expect(isPublicAddress(a), a).toBe(false);
    }
  });

  it("refuses written-out private hosts and other schemes before any lookup; allowPrivate lets them by", () => {
    expect(() => checkTarget(new URL("http://127.0.0.1/x"), false)).toThrow(/private or local/);
    expect(() => checkTarget(new URL("http://localhost/x"), false)).toThrow(/private or local/);
    expect(() => checkTarget(new URL("https://user:pw@example.com/x"), false)).toThrow(/password/);
    expect(() => checkTarget(new URL("file:///etc/passwd"), false)).toThrow(/http or https/);
    expect(() => checkTarget(new URL("https://example.com/x"), false)).not.toThrow();
    expect(() => checkTarget(new URL("http://127.0.0.1/x"), true)).not.toThrow();
  });

  it("drops private addresses a name resolves to, at connection time", async () => {
    const lookup = (allow: boolean) =>
      new Promise<unknown>((resolve) => publicLookup(allow)("localhost", {}, (error, address) => resolve(error ?? address)));
    expect(await lookup(false)).toBeInstanceOf(Error);
    expect(await lookup(true)).toMatch(/^(127\.0\.0\.1|::1)$/);
  });
});
