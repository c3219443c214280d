"use client";

// Bringing people into a room, for its owner and admins: an invitation by name (the person sees
// it in their lobby and accepts or declines), or an invite link to pass on, with an expiry and a
// number of uses, listed and revocable.
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { copy } from "@/app/lib/clipboard";
import { useFormat } from "@/app/lib/format";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import type { InviteLink } from "@/server/protocol";
import { request } from "@/server/protocol/request";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { inputClass } from "../ui/input";
import type { ChatSocket } from "../use-socket";

const EXPIRIES = [1, 24, 24 * 7, 0] as const;
const USES = [1, 5, 25, 0] as const;

export function InviteDialog({
  socket,
  room,
  onClose,
}: {
  socket: ChatSocket;
  room: { id: string; name: string };
  onClose(): void;
}) {
  const t = useTranslations("invite");
  const say = useProblemText();
  const format = useFormat();
  const [sent, setSent] = useState<string | null>(null);
  const [inviteError, setInviteError] = useState<{ problem: Problem; username: string } | null>(null);
  const [links, setLinks] = useState<InviteLink[] | null>(null);
  const [linkError, setLinkError] = useState<Problem | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    request(socket, "room:invite-links", { roomId: room.id })
      .then((reply) => setLinks(reply.links))
      .catch((error) => setLinkError(problemOf(error)));
  }, [socket, room.id]);

  async function invite(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const username = String(new FormData(form).get("username") ?? "").trim();
    if (!username) return;
    setBusy(true);
    setSent(null);
    setInviteError(null);
    try {
      await request(socket, "room:invite", { roomId: room.id, username });
      setSent(username);
      form.reset();
    } catch (error) {
      setInviteError({ problem: problemOf(error), username });
    } finally {
      setBusy(false);
    }
  }

  async function makeLink(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fields = new FormData(e.currentTarget);
    const hours = Number(fields.get("expires"));
    const uses = Number(fields.get("uses"));
    setLinkError(null);
    try {
      const { link } = await request(socket, "room:invite-link:create", {
        roomId: room.id,
        expiresInHours: hours || undefined,
        maxUses: uses || undefined,
      });
      setLinks((list) => [link, ...(list ?? [])]);
      if (await copy(link.url)) setCopied(link.token);
    } catch (error) {
      setLinkError(problemOf(error));
    }
  }

  async function revoke(token: string) {
    setLinkError(null);
    try {
      await request(socket, "room:invite-link:revoke", { roomId: room.id, token });
      setLinks((list) => list?.filter((l) => l.token !== token) ?? null);
    } catch (error) {
      setLinkError(problemOf(error));
    }
  }

  return (
    <Dialog
      label={t("title", { room: room.name })}
      heading={{ close: t("close") }}
      onClose={onClose}
      className="w-[min(32rem,calc(100vw-2rem))]"
    >
      <div className="space-y-6 px-5 py-4">
        <form onSubmit={invite} className="space-y-2">
          <h3 className="font-medium">{t("byName")}</h3>
          <label htmlFor="invite-username" className="block text-sm">
            {t("username")}
          </label>
          <p id="invite-username-hint" className="text-sm text-slate-600 dark:text-slate-400">
            {t("byNameHint")}
          </p>
          <div className="flex gap-2">
            <input
              id="invite-username"
              name="username"
              required
              maxLength={32}
              autoComplete="off"
              aria-describedby="invite-username-hint"
              className={inputClass}
            />
            <Button type="submit" disabled={busy}>
              {t("send")}
            </Button>
          </div>
          {sent && (
            <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
              {t("sent", { username: sent })}
            </p>
          )}
          {inviteError && <Alert>{say(inviteError.problem, "invite", { username: inviteError.username })}</Alert>}
        </form>

        <section className="space-y-2" aria-labelledby="invite-links-heading">
          <h3 id="invite-links-heading" className="font-medium">
            {t("links")}
          </h3>
          <p className="text-sm text-slate-600 dark:text-slate-400">{t("linksHint")}</p>
          <form onSubmit={makeLink} className="flex flex-wrap items-end gap-2">
            <label className="text-sm">
              <span className="mb-1 block">{t("expires")}</span>
              <select name="expires" defaultValue="168" className={`${inputClass} w-auto`}>
                {EXPIRIES.map((h) => (
                  <option key={h} value={h}>
                    {h === 0 ? t("never") : t("hours", { count: h })}
                  </option>
                ))}
              </select>
            </label>
            <label className="text-sm">
              <span className="mb-1 block">{t("uses")}</span>
              <select name="uses" defaultValue="0" className={`${inputClass} w-auto`}>
                {USES.map((n) => (
                  <option key={n} value={n}>
                    {n === 0 ? t("noLimit") : t("usesCount", { count: n })}
                  </option>
                ))}
              </select>
            </label>
            <Button type="submit" variant="secondary">
              {t("create")}
            </Button>
          </form>
          {linkError && <Alert>{say(linkError)}</Alert>}
          {links !== null && links.length === 0 && <p className="text-sm text-slate-500 dark:text-slate-400">{t("none")}</p>}
          <ul aria-label={t("links")} className="space-y-2">
            {links?.map((link) => (
              <li key={link.token} className="rounded-lg border border-slate-200 p-2 text-sm dark:border-slate-700">
                <input
                  readOnly
                  value={link.url}
                  aria-label={t("link")}
                  onFocus={(e) => e.currentTarget.select()}
                  className={`${inputClass} font-mono text-xs`}
                />
                <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
                  <span>
                    {link.maxUses === null
                      ? t("used", { count: link.uses })
                      : t("usedOf", { count: link.uses, max: link.maxUses })}
                    {" · "}
                    {link.expiresAt ? t("expiresAt", { when: format.time(link.expiresAt) }) : t("neverExpires")}
                  </span>
                  <span className="ml-auto flex gap-1">
                    <Button
                      size="xs"
                      variant="secondary"
                      onClick={() => void copy(link.url).then((done) => setCopied(done ? link.token : null))}
                    >
                      {copied === link.token ? t("copied") : t("copy")}
                    </Button>
                    <Button size="xs" variant="danger" onClick={() => void revoke(link.token)}>
                      {t("revoke")}
                    </Button>
                  </span>
                </div>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </Dialog>
  );
}
