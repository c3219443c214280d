// The emoji a person reacted with lately, newest first, for the quick bar; kept in this browser.
import { readStored, writeStored } from "./stored";

const KEY = "komnata-recent-emoji";
const KEEP = 8;
/** Before anyone has reacted: the ones teams use most. */
const DEFAULTS = ["👍", "❤️", "😂", "🎉", "👀", "🙏", "✅", "🔥"];

export function recentEmoji(): string[] {
  const saved = readStored<unknown>(KEY, []);
  const list = Array.isArray(saved) ? saved.filter((e): e is string => typeof e === "string") : [];
  return [...new Set([...list, ...DEFAULTS])].slice(0, KEEP);
}

export function rememberEmoji(emoji: string): void {
  writeStored(KEY, [emoji, ...recentEmoji().filter((e) => e !== emoji)].slice(0, KEEP));
}
