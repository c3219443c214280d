import { describe, expect, it } from "vitest";
import { isPushEndpoint } from "../../server/push/push.ts";

const ok = (url: string) => isPushEndpoint(new URL(url));

describe("push endpoints", () => {
  it("are the browsers' push services: https on a public name or address", () => {
    expect(ok("https://fcm.googleapis.com/fcm/send/abc")).toBe(true);
    expect(ok("https://updates.push.services.mozilla.com/wpush/v2/x")).toBe(true);
    expect(ok("https://web.push.apple.com/QGx")).toBe(true);
    expect(ok("https://8.8.8.8/x")).toBe(true);
  });

  it("are never this server or its private network, nor plain http, nor with credentials", () => {
    for (const url of [
      "http://fcm.googleapis.com/x",
      "https://localhost/x",
      "https://api.localhost/x",
      "https://db.internal/x",
      "https://printer.local/x",
      "https://127.0.0.1/x",
      "https://10.1.2.3/x",
      "https://172.20.0.1/x",
      "https://192.168.1.1/x",
      "https://169.254.169.254/latest/meta-data",
      "https://100.64.0.1/x",
      "https://[::1]/x",
      "https://[fd00::1]/x",
      "https://[::ffff:127.0.0.1]/x",
      "https://intranet/x",
      "https://user:pw@fcm.googleapis.com/x",
    ]) {
      expect(ok(url), url).toBe(false);
    }
  });
});
