import { describe, expect, it } from "vitest";
import { isQuiet } from "../../server/protocol/quiet.ts";

const at = (iso: string) => new Date(iso);

describe("quiet hours", () => {
  it("run over midnight, in the person's time zone", () => {
    const night = { quietHours: { from: "22:00", to: "07:30" }, timeZone: "Europe/Moscow" };
    // 19:30 UTC is 22:30 in Moscow
    expect(isQuiet(night, at("2026-11-29T19:30:00Z"))).toBe(true);
    expect(isQuiet(night, at("2026-11-29T04:29:00Z"))).toBe(true);
    // 07:30 there: over
    expect(isQuiet(night, at("2026-11-29T04:30:00Z"))).toBe(false);
    expect(isQuiet(night, at("2026-11-29T12:00:00Z"))).toBe(false);
  });

  it("can be a span within a day, and none at all", () => {
    const lunch = { quietHours: { from: "12:00", to: "13:00" }, timeZone: "UTC" };
    expect(isQuiet(lunch, at("2026-11-29T12:15:00Z"))).toBe(true);
    expect(isQuiet(lunch, at("2026-11-29T13:00:00Z"))).toBe(false);
    expect(isQuiet({ quietHours: null, timeZone: "UTC" }, at("2026-11-29T12:15:00Z"))).toBe(false);
    expect(isQuiet({ quietHours: { from: "09:00", to: "09:00" }, timeZone: "UTC" }, at("2026-11-29T09:00:00Z"))).toBe(false);
  });
});
