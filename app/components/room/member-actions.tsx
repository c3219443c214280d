"use client";

// What a room's owner or admin may do to one member, from the member list: roles (the owner),
// removal and a ban. Only what the rules let them do is offered (server/protocol/roles.ts); the
// server checks it again.
import { useTranslations } from "next-intl";
import { useState } from "react";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import type { RoomMember, RoomRole } from "@/server/protocol";
import { request } from "@/server/protocol/request";
import { hasPower, outranks } from "@/server/protocol/roles";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { ConfirmInline } from "../ui/confirm-inline";
import { Dialog } from "../ui/dialog";
import type { ChatSocket } from "../use-socket";

/** Whether someone with `mine` may do anything to `member` (the list offers a button only then). */
export function canManage(mine: RoomRole | undefined, member: RoomMember, me: string): boolean {
  if (member.id === me) return false;
  return hasPower(mine, "set-role") || (hasPower(mine, "remove") && outranks(mine, member.role));
}

type Asking = "owner" | "kick" | "ban" | null;

export function MemberActions({
  socket,
  roomId,
  roomName,
  member,
  mine,
  onClose,
}: {
  socket: ChatSocket;
  roomId: string;
  roomName: string;
  member: RoomMember;
  mine: RoomRole | undefined;
  onClose(): void;
}) {
  const t = useTranslations("memberActions");
  const say = useProblemText();
  const [asking, setAsking] = useState<Asking>(null);
  const [error, setError] = useState<Problem | null>(null);
  const name = member.username;
  const may = {
    roles: hasPower(mine, "set-role"),
    remove: hasPower(mine, "remove") && outranks(mine, member.role),
  };

  async function setRole(role: RoomRole) {
    setError(null);
    try {
      await request(socket, "room:set-role", { roomId, userId: member.id, role });
      onClose();
    } catch (failure) {
      setError(problemOf(failure));
    }
  }
  const ask = (what: Exclude<Asking, null>, question: string, confirm: string, run: () => Promise<unknown>) =>
    asking === what && (
      <ConfirmInline
        label={question}
        question={question}
        confirm={confirm}
        busyLabel={t("working")}
        cancel={t("cancel")}
        errorContext="moderate"
        onConfirm={async () => {
          await run();
          onClose();
        }}
        onCancel={() => setAsking(null)}
      />
    );

  return (
    <Dialog
      label={t("title", { username: name })}
      heading={{ close: t("close") }}
      onClose={onClose}
      className="w-[min(26rem,calc(100vw-2rem))]"
    >
      <div className="space-y-3 px-5 py-4 text-sm">
        <p className="text-slate-600 dark:text-slate-400">{t(`is.${member.role}`, { username: name, room: roomName })}</p>
        {may.roles && (
          <div className="flex flex-wrap gap-2">
            {member.role === "member" && (
              <Button variant="secondary" size="sm" onClick={() => void setRole("admin")}>
                {t("makeAdmin")}
              </Button>
            )}
            {member.role === "admin" && (
              <Button variant="secondary" size="sm" onClick={() => void setRole("member")}>
                {t("makeMember")}
              </Button>
            )}
            <Button variant="secondary" size="sm" onClick={() => setAsking("owner")}>
              {t("makeOwner")}
            </Button>
          </div>
        )}
        {ask("owner", t("makeOwnerAsk", { username: name }), t("makeOwner"), () =>
          request(socket, "room:set-role", { roomId, userId: member.id, role: "owner" }),
        )}
        {may.remove && (
          <div className="flex flex-wrap gap-2">
            <Button variant="danger" size="sm" onClick={() => setAsking("kick")}>
              {t("kick")}
            </Button>
            <Button variant="danger" size="sm" onClick={() => setAsking("ban")}>
              {t("ban")}
            </Button>
          </div>
        )}
        {ask("kick", t("kickAsk", { username: name }), t("kick"), () =>
          request(socket, "room:kick", { roomId, userId: member.id }),
        )}
        {ask("ban", t("banAsk", { username: name }), t("ban"), () => request(socket, "room:ban", { roomId, userId: member.id }))}
        {error && <Alert>{say(error, "moderate")}</Alert>}
      </div>
    </Dialog>
  );
}
