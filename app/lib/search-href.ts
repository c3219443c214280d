// The search page's address: what it searches for, where and in which order (app/search).

export interface SearchParams {
  q: string;
  /** only this room (by id) */
  room: string | null;
  /** only the conversation with this person */
  with: string | null;
  /** the room or conversation above is where the search began, and it now looks everywhere */
  all: boolean;
  order: "newest" | "best";
}

export function searchHref(p: SearchParams): string {
  const query = new URLSearchParams({ q: p.q });
  if (p.room) query.set("room", p.room);
  if (p.with) query.set("with", p.with);
  if (p.all && (p.room || p.with)) query.set("all", "1");
  if (p.order === "best") query.set("order", "best");
  return `/search?${query}`;
}
