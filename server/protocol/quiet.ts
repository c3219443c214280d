// Quiet hours: when nothing notifies a person, in their own time zone. The browser checks them
// before a notification or a sound, the server before a push.
import type { UserSettings } from "./wire.ts";

/** Whether `now` falls in the quiet hours, read in their time zone ("22:00"-"07:00" runs over midnight). */
export function isQuiet(settings: Pick<UserSettings, "quietHours" | "timeZone">, now = new Date()): boolean {
  const quiet = settings.quietHours;
  if (!quiet || quiet.from === quiet.to) return false;
  const clock = new Intl.DateTimeFormat("en-GB", {
    timeZone: settings.timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(now);
  return quiet.from < quiet.to ? clock >= quiet.from && clock < quiet.to : clock >= quiet.from || clock < quiet.to;
}
