"use client";

// A room's webhooks, in its settings (owner and admins). Incoming: its URL is shown once, to copy
// into a CI system or a monitor. Outgoing: messages that start with its trigger words (or mention
// its bot) are POSTed to a URL, signed with a secret shown once.
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { useFormat } from "@/app/lib/format";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import type { WebhookInfo } from "@/server/protocol";
import { request } from "@/server/protocol/request";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { inputClass } from "../ui/input";
import { ShownOnce } from "../ui/shown-once";
import type { ChatSocket } from "../use-socket";

export function RoomWebhooks({ socket, roomId }: { socket: ChatSocket; roomId: string }) {
  const t = useTranslations("webhooks");
  const say = useProblemText();
  const format = useFormat();
  const [hooks, setHooks] = useState<WebhookInfo[] | null>(null);
  const [made, setMade] = useState<{ name: string; url?: string; secret?: string } | null>(null);
  const [kind, setKind] = useState<"incoming" | "outgoing">("incoming");
  const [error, setError] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    request(socket, "webhook:list", { roomId })
      .then((reply) => setHooks(reply.webhooks))
      .catch((failure: unknown) => setError(problemOf(failure)));
  }, [socket, roomId]);

  async function create(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const fields = new FormData(form);
    const name = String(fields.get("name") ?? "");
    setBusy(true);
    setError(null);
    try {
      const { webhook, signingSecret } =
        kind === "incoming"
          ? await request(socket, "webhook:create", { roomId, name })
          : await request(socket, "webhook:create", {
              roomId,
              name,
              kind,
              url: String(fields.get("url") ?? ""),
              triggers: String(fields.get("triggers") ?? "")
                .split(/[\s,]+/)
                .filter(Boolean),
            });
      setMade(kind === "incoming" ? { name: webhook.name, url: webhook.url } : { name: webhook.name, secret: signingSecret });
      setHooks((list) => [...(list ?? []), webhook]);
      form.reset();
    } catch (failure) {
      setError(problemOf(failure));
    } finally {
      setBusy(false);
    }
  }

  async function remove(webhookId: string) {
    setError(null);
    try {
      await request(socket, "webhook:delete", { roomId, webhookId });
      setHooks((list) => list?.filter((h) => h.id !== webhookId) ?? null);
    } catch (failure) {
      setError(problemOf(failure));
    }
  }

  return (
    <section className="space-y-2" aria-labelledby="webhooks-heading">
      <h3 id="webhooks-heading" className="font-medium">
        {t("title")}
      </h3>
      <p className="text-slate-600 dark:text-slate-400">{t("hint")}</p>
      {error && <Alert>{say(error)}</Alert>}
      {made && (
        <ShownOnce
          message={made.url ? t("made", { name: made.name }) : t("madeOutgoing", { name: made.name })}
          value={made.url ?? made.secret ?? ""}
          testId="webhook-secret"
          copyLabel={t("copy")}
          copiedLabel={t("copied")}
        />
      )}
      {hooks?.length === 0 && <p className="text-slate-500 dark:text-slate-400">{t("none")}</p>}
      <ul aria-label={t("title")} className="space-y-1">
        {hooks?.map((hook) => (
          <li key={hook.id} className="flex items-center gap-2">
            <span className="min-w-0 flex-1 truncate">
              <span translate="no" className="font-medium">
                {hook.name}
              </span>{" "}
              <span className="text-xs text-slate-600 dark:text-slate-400">
                {hook.kind === "outgoing" && hook.url
                  ? t("outgoingTo", { host: new URL(hook.url).host, words: (hook.triggers ?? []).join(", ") || "—" })
                  : t("incoming")}{" "}
                · {t("by", { username: hook.createdBy.username, when: format.relative(hook.createdAt) })}
              </span>
            </span>
            <Button size="xs" variant="danger" onClick={() => void remove(hook.id)}>
              {t("delete", { name: hook.name })}
            </Button>
          </li>
        ))}
      </ul>
      <form onSubmit={create} className="space-y-2">
        <fieldset className="flex gap-4">
          <legend className="sr-only">{t("kind")}</legend>
          {(["incoming", "outgoing"] as const).map((k) => (
            <label key={k} className="flex items-center gap-1.5">
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {t(k === "incoming" ? "kindIncoming" : "kindOutgoing")}
            </label>
          ))}
        </fieldset>
        {kind === "outgoing" && (
          <>
            <label className="block">
              <span className="mb-1 block font-medium">{t("url")}</span>
              <input name="url" type="url" required placeholder={t("urlPlaceholder")} autoComplete="off" className={inputClass} />
            </label>
            <label className="block">
              <span className="mb-1 block font-medium">{t("triggers")}</span>
              <input name="triggers" placeholder={t("triggersPlaceholder")} autoComplete="off" className={inputClass} />
            </label>
          </>
        )}
        <div className="flex items-end gap-2">
          <label className="flex-1">
            <span className="mb-1 block font-medium">{t("name")}</span>
            <input
              name="name"
              required
              maxLength={64}
              placeholder={t("namePlaceholder")}
              autoComplete="off"
              className={inputClass}
            />
          </label>
          <Button type="submit" variant="secondary" size="sm" disabled={busy}>
            {t("create")}
          </Button>
        </div>
      </form>
    </section>
  );
}
