"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useFormat } from "@/app/lib/format";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import { request } from "@/server/protocol/request";
import { useConversations } from "./shell/use-places";
import { Button } from "./ui/button";
import { inputClass } from "./ui/input";
import { UnreadBadge } from "./ui/unread-badge";
import type { ChatSocket } from "./use-socket";

/** The lobby's "Direct messages": your conversations, newest first, with unread counts (the sidebar's list). */
export function DirectMessages({ socket, me }: { socket: ChatSocket | null; me: { id: string } }) {
  const t = useTranslations("directMessages");
  const format = useFormat();
  const router = useRouter();
  const say = useProblemText();
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<{ name: string; problem: Problem } | null>(null);
  const { data: conversations } = useConversations(socket, me);

  return (
    <section
      aria-labelledby="dm-heading"
      className="space-y-3 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 id="dm-heading" className="font-semibold">
        {t("title")}
      </h2>
      {conversations === null && <p className="text-sm text-slate-500">{t("loading")}</p>}
      {conversations?.length === 0 && <p className="text-sm text-slate-500 dark:text-slate-400">{t("empty")}</p>}
      {conversations && conversations.length > 0 && (
        <ul aria-label={t("title")} className="space-y-1">
          {conversations.map((c) => (
            <li key={c.id}>
              <Link
                href={`/messages/${encodeURIComponent(c.with.username)}`}
                className="flex items-center gap-2 rounded-lg px-2 py-1.5 text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
              >
                <span
                  aria-hidden="true"
                  className={`h-2.5 w-2.5 shrink-0 rounded-full ${c.with.online ? "bg-emerald-500" : "border border-slate-400 dark:border-slate-500"}`}
                />
                <span translate="no" className={`min-w-0 flex-1 truncate ${c.unread > 0 ? "font-semibold" : ""}`}>
                  @{c.with.username}
                </span>
                <span className="sr-only">{c.with.online ? t("online") : t("offline")}</span>
                <span className="shrink-0 text-xs text-slate-500 dark:text-slate-400">{format.relative(c.lastMessageAt)}</span>
                {/* a private message calls for me: every unread one counts as a mention */}
                <UnreadBadge unread={c.unread} mentions={c.unread} />
              </Link>
            </li>
          ))}
        </ul>
      )}
      <form
        className="flex flex-wrap gap-2"
        onSubmit={async (e) => {
          e.preventDefault();
          const name = String(new FormData(e.currentTarget).get("to") ?? "")
            .trim()
            .replace(/^@/, "");
          if (!name || !socket) return;
          // say at once, here, when nobody has that name (not on a half-built conversation page)
          setChecking(true);
          try {
            const { user } = await request(socket, "user:get", { username: name });
            router.push(`/messages/${encodeURIComponent(user.username)}`);
          } catch (error) {
            setProblem({ name, problem: problemOf(error) });
          } finally {
            setChecking(false);
          }
        }}
      >
        <label htmlFor="dm-to" className="sr-only">
          {t("startWith")}
        </label>
        <input
          id="dm-to"
          name="to"
          placeholder={t("username")}
          autoComplete="off"
          aria-invalid={problem !== null}
          aria-describedby={problem ? "dm-to-problem" : undefined}
          onChange={() => setProblem(null)}
          className={`${inputClass} min-w-0 flex-1`}
        />
        <Button type="submit" variant="secondary" size="sm" className="shrink-0" disabled={checking}>
          {t("message")}
        </Button>
        {problem && (
          <p id="dm-to-problem" role="alert" className="basis-full text-sm text-red-700 dark:text-red-300">
            {say(problem.problem, "conversation", { username: problem.name })}
          </p>
        )}
      </form>
    </section>
  );
}
