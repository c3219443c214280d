"use client";

// Message search: a query (with from:, in:, has:, before:, after:, on: and "phrases"), newest or
// best match first, everywhere or in one room or conversation. The query lives in the address,
// so a reload or the back button from a result comes back to the same results.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { useFormat } from "@/app/lib/format";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import { type SearchParams, searchHref } from "@/app/lib/search-href";
import type { SearchResult } from "@/server/protocol";
import { request } from "@/server/protocol/request";
import { parseSearchQuery } from "@/server/protocol/search";
import { AppHeader, ThreadTitle } from "../app-header";
import { Avatar } from "../avatar";
import { Navigator } from "../shell/navigator";
import { MessageBody } from "../thread/message-body";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { inputClass } from "../ui/input";
import { useSocket } from "../use-socket";
import { Highlighted, snippet } from "./highlighted";

/** A message up to this long is shown whole in a result, formatted; a longer one, the part that matched. */
const SHOWN_WHOLE = 280;

/** Where a result opens: its thread, at its message, with the search's terms to mark there. */
function resultHref(r: SearchResult, terms: string[]): string {
  const at = new URLSearchParams({ m: String(r.message.seq) });
  for (const term of terms.slice(0, 16)) at.append("hl", term);
  return r.room
    ? `/rooms/${encodeURIComponent(r.room.id)}?${at}`
    : `/messages/${encodeURIComponent(r.conversation?.with.username ?? "")}?${at}`;
}

/** The words and phrases of a query (its filters left out), or none when it cannot be read. */
function termsOf(q: string): string[] {
  try {
    return parseSearchQuery(q).terms;
  } catch {
    return [];
  }
}

export function SearchView({ user, params }: { user: { id: string; username: string }; params: SearchParams }) {
  const t = useTranslations("search");
  const say = useProblemText();
  const format = useFormat();
  const router = useRouter();
  const { socket, connection } = useSocket();
  const [text, setText] = useState(params.q);
  const [results, setResults] = useState<SearchResult[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [roomName, setRoomName] = useState<string | null>(null);
  const terms = useMemo(() => termsOf(params.q), [params.q]);
  const scoped = params.room !== null || params.with !== null;
  /** only in the room or conversation the search began in */
  const narrowed = scoped && !params.all;
  // the box turns at once, before the new address has loaded
  const [narrowBox, setNarrowBox] = useState(narrowed);
  useEffect(() => setNarrowBox(narrowed), [narrowed]);

  // the room's name, for "Only in #name"
  useEffect(() => {
    if (!socket || !params.room) return;
    request(socket, "room:get", { roomId: params.room })
      .then(({ room }) => setRoomName(room.name))
      .catch(() => undefined);
  }, [socket, params.room]);

  const ask = (after: string | null) => {
    if (!socket) throw new Error("not connected");
    const where = narrowed && params.with ? ` in:@${params.with}` : "";
    return request(socket, "search", {
      query: `${params.q}${where}`.slice(0, 256),
      roomId: (narrowed && params.room) || undefined,
      order: params.order,
      cursor: after,
    });
  };

  // a new query, place or order: the first page again
  // biome-ignore lint/correctness/useExhaustiveDependencies: `ask` reads only what is listed
  useEffect(() => {
    setText(params.q);
    setResults(null);
    setProblem(null);
    if (!socket || params.q.trim() === "") return;
    let current = true;
    ask(null)
      .then((page) => {
        if (!current) return;
        setResults(page.results);
        setCursor(page.cursor);
      })
      .catch((error: unknown) => current && setProblem(problemOf(error)));
    return () => {
      current = false;
    };
  }, [socket, params.q, params.room, params.with, params.all, params.order]);

  const more = async () => {
    setBusy(true);
    try {
      const page = await ask(cursor);
      setResults((list) => [...(list ?? []), ...page.results]);
      setCursor(page.cursor);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  /** Another search: the results shown go at once (not when the new address has loaded). */
  const leave = () => {
    setResults(null);
    setProblem(null);
  };
  const go = (change: Partial<SearchParams>) => {
    leave();
    router.replace(searchHref({ ...params, ...change }), { scroll: false });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q = text.trim();
    if (q === "" || q === params.q) return;
    leave();
    router.push(searchHref({ ...params, q }));
  };
  const place = params.with ? t("withPerson", { name: params.with }) : roomName ? `#${roomName}` : t("thisRoom");

  return (
    <div className="flex min-h-full flex-col lg:h-full">
      <AppHeader username={user.username} connection={connection} inThread>
        <ThreadTitle title={t("title")} subtitle={params.q ? t("for", { query: params.q }) : null} />
      </AppHeader>
      <div className="flex flex-1 flex-col lg:min-h-0 lg:flex-row">
        <Navigator socket={socket} me={user} here={null} />
        <div className="min-w-0 flex-1 lg:overflow-y-auto">
          <main className="mx-auto w-full max-w-3xl px-4 py-6 sm:px-6">
            <search>
              <form onSubmit={submit} className="flex gap-2">
                <label htmlFor="message-search" className="sr-only">
                  {t("label")}
                </label>
                <input
                  id="message-search"
                  type="search"
                  // biome-ignore lint/a11y/noAutofocus: the page is for typing a query
                  autoFocus={params.q === ""}
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                  placeholder={t("placeholder")}
                  maxLength={256}
                  className={inputClass}
                />
                <Button type="submit">{t("submit")}</Button>
              </form>
            </search>
            <div className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
              {scoped && (
                <label className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    checked={narrowBox}
                    onChange={() => {
                      setNarrowBox(!narrowed);
                      go({ all: narrowed });
                    }}
                    className="h-4 w-4 accent-brand-600"
                  />
                  {t("onlyIn", { place })}
                </label>
              )}
              <fieldset className="flex items-center gap-1">
                <legend className="sr-only">{t("order")}</legend>
                {(["newest", "best"] as const).map((order) => (
                  <button
                    key={order}
                    type="button"
                    aria-pressed={params.order === order}
                    onClick={() => params.order !== order && go({ order })}
                    className="rounded-full px-3 py-1 text-slate-700 hover:bg-slate-200 aria-pressed:bg-brand-600 aria-pressed:text-white dark:text-slate-300 dark:hover:bg-slate-800 dark:aria-pressed:bg-brand-500"
                  >
                    {t(order)}
                  </button>
                ))}
              </fieldset>
            </div>

            {problem && <Alert className="mt-4">{say(problem, "search")}</Alert>}
            {params.q === "" && <Filters />}
            {params.q !== "" && results === null && !problem && (
              <p role="status" className="mt-6 text-sm text-slate-500 dark:text-slate-400">
                {t("searching")}
              </p>
            )}
            {results !== null && results.length === 0 && (
              <div className="mt-6 rounded-2xl border border-dashed border-slate-300 p-8 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
                <p role="status">{t("nothing", { query: params.q })}</p>
                {narrowed && (
                  <Button variant="secondary" className="mt-3" onClick={() => go({ all: true })}>
                    {t("everywhere")}
                  </Button>
                )}
                <Filters />
              </div>
            )}
            {results !== null && results.length > 0 && (
              <ol
                aria-label={t("results")}
                className="mt-6 divide-y divide-slate-200 overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
              >
                {results.map((r) => {
                  const href = resultHref(r, terms);
                  return (
                    <li key={r.message.id}>
                      {/* biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: a click anywhere opens it; the link in its first line is the keyboard's way */}
                      <div
                        onClick={(e) => {
                          // a link in the message goes where it goes
                          if (!(e.target as HTMLElement).closest("a, button")) router.push(href);
                        }}
                        className="flex cursor-pointer gap-3 px-4 py-3 hover:bg-slate-50 dark:hover:bg-slate-800/60"
                      >
                        <Avatar id={r.message.author.id} name={r.message.author.username} />
                        <div className="min-w-0 flex-1">
                          <p className="flex flex-wrap items-baseline gap-x-2 text-sm">
                            <span translate="no" className="font-semibold">
                              {r.message.author.username}
                            </span>
                            <Link href={href} translate="no" className="text-slate-600 hover:underline dark:text-slate-400">
                              {r.room ? `# ${r.room.name}` : `@${r.conversation?.with.username}`}
                            </Link>
                            <time dateTime={r.message.createdAt} className="text-xs text-slate-500 dark:text-slate-400">
                              {format.time(r.message.createdAt)}
                            </time>
                          </p>
                          {r.message.body &&
                            (r.message.body.length <= SHOWN_WHOLE ? (
                              // formatted as in the room, the words marked
                              <div className="mt-0.5 max-h-40 overflow-hidden text-slate-800 dark:text-slate-200">
                                <MessageBody body={r.message.body} terms={terms} />
                              </div>
                            ) : (
                              // a long one: the part around the first match, as text
                              <p className="mt-0.5 break-words text-slate-800 dark:text-slate-200">
                                <Highlighted {...snippet(r.message.body, r.highlights.body)} />
                              </p>
                            ))}
                          {r.message.file && !r.message.file.removed && (
                            <p className="mt-0.5 truncate text-sm text-slate-600 dark:text-slate-400">
                              <span aria-hidden="true">📎 </span>
                              <Highlighted text={r.message.file.name} ranges={r.highlights.file} />
                            </p>
                          )}
                        </div>
                      </div>
                    </li>
                  );
                })}
              </ol>
            )}
            {cursor && results && (
              <div className="mt-4 text-center">
                <Button variant="secondary" onClick={more} disabled={busy}>
                  {busy ? t("loadingMore") : t("more")}
                </Button>
              </div>
            )}
          </main>
        </div>
      </div>
    </div>
  );
}

/** How to narrow a search, for someone who has not met the filters. */
function Filters() {
  const t = useTranslations("search");
  const filters = ["from", "in", "has", "before", "after", "phrase"] as const;
  const examples: Record<(typeof filters)[number], string> = {
    from: "from:alice",
    in: "in:general",
    has: "has:file",
    before: "before:2026-11-01",
    after: "after:2026-10-01",
    phrase: '"release notes"',
  };
  return (
    <div className="mx-auto mt-6 max-w-md text-left text-sm text-slate-600 dark:text-slate-400">
      <h2 className="mb-2 font-semibold text-slate-800 dark:text-slate-200">{t("filtersTitle")}</h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        {filters.map((f) => (
          <div key={f} className="contents">
            <dt>
              <code translate="no" className="rounded bg-slate-100 px-1 font-mono text-xs dark:bg-slate-800">
                {examples[f]}
              </code>
            </dt>
            <dd>{t(`filters.${f}`)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
