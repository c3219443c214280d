// An origin no real request has: a callback that resolves against it to another origin leaves the site.
const HERE = "http://komnata.invalid";

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Where to go after signing in: a path on this site only, never another origin. The value is
 * resolved the way a browser would resolve it (which drops tabs and newlines and reads `\` as
 * `/`, so `/%09/evil.host` means `//evil.host`), and kept only if it stays on this origin.
 */
export function safeCallback(value: string | string[] | undefined): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || CONTROL.test(raw)) return "/";
  let url: URL;
  try {
    url = new URL(raw, HERE);
  } catch {
    return "/";
  }
  if (url.origin !== HERE) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
