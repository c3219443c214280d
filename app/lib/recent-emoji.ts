// The emoji a person reacted with lately, newest first, for the quick bar; kept in this browser.
const KEY = "komnata-recent-emoji";
const KEEP = 8;
/** Before anyone has reacted: the ones teams use most. */
const DEFAULTS = ["👍", "❤️", "😂", "🎉", "👀", "🙏", "✅", "🔥"];

export function recentEmoji(): string[] {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? "[]") as unknown;
    const list = Array.isArray(saved) ? saved.filter((e): e is string => typeof e === "string") : [];
    return [...new Set([...list, ...DEFAULTS])].slice(0, KEEP);
  } catch {
    return DEFAULTS;
  }
}

export function rememberEmoji(emoji: string): void {
  try {
    localStorage.setItem(KEY, JSON.stringify([emoji, ...recentEmoji().filter((e) => e !== emoji)].slice(0, KEEP)));
  } catch {
    // private mode or full storage: the quick bar just does not learn
  }
}
