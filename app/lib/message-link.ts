// A link to a message is its thread's page with `?m=<seq>` (ThreadSource.linkTo).

/** The seq a page was opened at (`?m=12`), or null when there is none or it is not a seq. */
export function linkedSeq(searchParams: Record<string, string | string[] | undefined>): number | null {
  const m = searchParams.m;
  return typeof m === "string" && /^[1-9]\d{0,9}$/.test(m) ? Number(m) : null;
}

/** `path` with the linked seq kept, for coming back to it after signing in. */
export const withLinkedSeq = (path: string, seq: number | null) => (seq === null ? path : `${path}?m=${seq}`);
