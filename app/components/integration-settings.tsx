"use client";

// Bots and API tokens (settings page): my bots (made, added to rooms, deleted) and the tokens I
// made for me and for them (made, listed, revoked). A token's secret is shown once, when made.
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useState } from "react";
import { apiRequest } from "@/app/lib/api";
import { useFormat } from "@/app/lib/format";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import type { ApiTokenInfo, BotInfo, NewApiToken, RoomSummary } from "@/server/protocol";
import { Avatar } from "./avatar";
import { Alert } from "./ui/alert";
import { Button, buttonClass } from "./ui/button";
import { inputClass } from "./ui/input";
import { ShownOnce } from "./ui/shown-once";

const CARD = "space-y-3 rounded-2xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900";
const ROW = "flex flex-wrap items-center gap-2 border-t border-slate-200 py-2 first:border-t-0 dark:border-slate-800";

export function IntegrationSettings({ rooms }: { rooms: RoomSummary[] }) {
  const t = useTranslations("integrations");
  const say = useProblemText();
  const format = useFormat();
  const [bots, setBots] = useState<BotInfo[] | null>(null);
  const [tokens, setTokens] = useState<ApiTokenInfo[] | null>(null);
  const [fresh, setFresh] = useState<NewApiToken | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem | null>(null);

  const load = useCallback(async () => {
    try {
      const [b, k] = await Promise.all([
        apiRequest<{ bots: BotInfo[] }>("/api/bots"),
        apiRequest<{ tokens: ApiTokenInfo[] }>("/api/tokens"),
      ]);
      setBots(b.bots);
      setTokens(k.tokens);
    } catch (problem) {
      setError(problemOf(problem));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  /** Runs a change, then reads the lists again; a failure is said above the lists. */
  async function act(work: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await work();
      await load();
      return true;
    } catch (problem) {
      setError(problemOf(problem));
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function createBot(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const fields = new FormData(form);
    const made = await act(() =>
      apiRequest("/api/bots", {
        method: "POST",
        body: { username: String(fields.get("username") ?? ""), displayName: String(fields.get("displayName") ?? "") },
      }),
    );
    if (made) form.reset();
  }

  async function createToken(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const fields = new FormData(form);
    const botId = String(fields.get("for") ?? "");
    const roomIds = fields.getAll("rooms").map(String);
    const made = await act(async () => {
      setFresh(
        await apiRequest<NewApiToken>("/api/tokens", {
          method: "POST",
          body: {
            name: String(fields.get("name") ?? ""),
            ...(botId ? { botId } : {}),
            ...(roomIds.length > 0 ? { roomIds } : {}),
          },
        }),
      );
    });
    if (made) form.reset();
  }

  const roomName = (id: string) => rooms.find((r) => r.id === id)?.name ?? id;

  return (
    <section aria-labelledby="integrations-title" className={CARD}>
      <h2 id="integrations-title" className="font-semibold">
        {t("title")}
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">{t("hint")}</p>
      {error && <Alert>{say(error, "integrations")}</Alert>}

      <h3 className="pt-2 text-sm font-semibold">{t("bots")}</h3>
      {bots && bots.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">{t("noBots")}</p>}
      <ul aria-label={t("bots")}>
        {bots?.map((bot) => (
          <li key={bot.id} className={ROW} data-testid="bot-row">
            <Avatar id={bot.id} name={bot.displayName || bot.username} size="sm" />
            <span className="min-w-0 flex-1">
              <span className="font-medium" translate="no">
                {bot.displayName || bot.username}
              </span>{" "}
              <span className="text-sm text-slate-600 dark:text-slate-400" translate="no">
                @{bot.username}
              </span>
              <span className="block text-xs text-slate-600 dark:text-slate-400">
                {bot.rooms.length === 0 ? t("inNoRoom") : t("inRooms", { rooms: bot.rooms.map((r) => r.name).join(", ") })}
              </span>
            </span>
            <select
              aria-label={t("addToRoom", { bot: bot.username })}
              className={`${inputClass} w-auto py-1`}
              value=""
              disabled={busy}
              onChange={(e) => {
                const roomId = e.target.value;
                if (roomId) void act(() => apiRequest(`/api/bots/${bot.id}/rooms/${roomId}`, { method: "PUT" }));
              }}
            >
              <option value="">{t("addToRoomPlaceholder")}</option>
              {rooms
                .filter((r) => !bot.rooms.some((b) => b.id === r.id))
                .map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
            </select>
            <label className={buttonClass("secondary", "sm", "cursor-pointer")}>
              {t("picture")}
              <input
                type="file"
                accept="image/png,image/jpeg,image/gif,image/webp"
                className="sr-only"
                aria-label={t("pictureOf", { bot: bot.username })}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = "";
                  if (file) void act(() => apiRequest(`/api/bots/${bot.id}/avatar`, { method: "PUT", file }));
                }}
              />
            </label>
            <Button
              variant="danger"
              size="sm"
              disabled={busy}
              onClick={() => {
                if (window.confirm(t("deleteBotQuestion", { bot: bot.username })))
                  void act(() => apiRequest(`/api/bots/${bot.id}`, { method: "DELETE" }));
              }}
            >
              {t("deleteBot")}
            </Button>
          </li>
        ))}
      </ul>
      <form onSubmit={createBot} className="flex flex-wrap items-end gap-2">
        <label className="min-w-36 flex-1 text-sm font-medium">
          {t("botUsername")}
          <input name="username" required minLength={3} maxLength={32} autoComplete="off" className={`${inputClass} mt-1`} />
        </label>
        <label className="min-w-36 flex-1 text-sm font-medium">
          {t("botDisplayName")}
          <input name="displayName" maxLength={64} autoComplete="off" className={`${inputClass} mt-1`} />
        </label>
        <Button type="submit" variant="secondary" disabled={busy}>
          {t("createBot")}
        </Button>
      </form>

      <h3 className="pt-4 text-sm font-semibold">{t("tokens")}</h3>
      {fresh && (
        <ShownOnce
          message={t("newToken", { name: fresh.token.name })}
          value={fresh.secret}
          testId="new-token"
          copyLabel={t("copy")}
          copiedLabel={t("copied")}
        />
      )}
      {tokens && tokens.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">{t("noTokens")}</p>}
      <ul aria-label={t("tokens")}>
        {tokens?.map((token) => (
          <li key={token.id} className={ROW} data-testid="token-row">
            <span className="min-w-0 flex-1">
              <span className="font-medium" translate="no">
                {token.name}
              </span>
              <span className="block text-xs text-slate-600 dark:text-slate-400">
                {[
                  bots?.some((b) => b.id === token.user.id) ? t("forBot", { bot: token.user.username }) : t("forMe"),
                  token.roomIds === null ? t("everywhere") : t("onlyIn", { rooms: token.roomIds.map(roomName).join(", ") }),
                  token.lastUsedAt ? t("lastUsed", { when: format.relative(token.lastUsedAt) }) : t("neverUsed"),
                ].join(" · ")}
              </span>
            </span>
            <Button
              variant="danger"
              size="sm"
              disabled={busy}
              onClick={() => void act(() => apiRequest(`/api/tokens/${token.id}`, { method: "DELETE" }))}
            >
              {t("revoke")}
            </Button>
          </li>
        ))}
      </ul>
      <form onSubmit={createToken} className="space-y-2">
        <div className="flex flex-wrap items-end gap-2">
          <label className="min-w-36 flex-1 text-sm font-medium">
            {t("tokenName")}
            <input name="name" required maxLength={64} autoComplete="off" className={`${inputClass} mt-1`} />
          </label>
          <label className="min-w-36 flex-1 text-sm font-medium">
            {t("tokenFor")}
            <select name="for" className={`${inputClass} mt-1`}>
              <option value="">{t("forMe")}</option>
              {bots?.map((bot) => (
                <option key={bot.id} value={bot.id}>
                  {t("forBot", { bot: bot.username })}
                </option>
              ))}
            </select>
          </label>
        </div>
        {rooms.length > 0 && (
          <fieldset>
            <legend className="text-sm font-medium">{t("limitTo")}</legend>
            <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
              {rooms.map((r) => (
                <label key={r.id} className="flex items-center gap-1.5 text-sm">
                  <input type="checkbox" name="rooms" value={r.id} />
                  <span translate="no">{r.name}</span>
                </label>
              ))}
            </div>
          </fieldset>
        )}
        <Button type="submit" variant="secondary" disabled={busy}>
          {t("createToken")}
        </Button>
      </form>
    </section>
  );
}
