// What the browser keeps for a person between visits (drafts, unsent messages, recent emoji), in
// localStorage, or for this tab only (where you were reading), in sessionStorage. Storage can be
// missing, full or refused (private windows): then nothing is kept, and nothing breaks.

type Where = "local" | "session";
const storage = (where: Where) => (where === "local" ? localStorage : sessionStorage);

/** The value kept under `key`, or `fallback` when there is none (or it cannot be read). */
export function readStored<T>(key: string, fallback: T, where: Where = "local"): T {
  try {
    const text = storage(where).getItem(key);
    return text === null ? fallback : (JSON.parse(text) as T);
  } catch {
    return fallback;
  }
}

/** Keeps `value` under `key`; `null` (or an empty list or string) removes it. */
export function writeStored(key: string, value: unknown, where: Where = "local"): void {
  try {
    const empty = value === null || value === "" || (Array.isArray(value) && value.length === 0);
    if (empty) storage(where).removeItem(key);
    else storage(where).setItem(key, JSON.stringify(value));
  } catch {
    // full or refused: this visit just does not remember it
  }
}
