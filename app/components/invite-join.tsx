"use client";

// Opening an invite link while signed in: join the room it leads to and go there; or say why not
// (used up, expired, revoked, banned) with the way back to the lobby.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { type Problem, problemOf, useProblemText } from "@/app/lib/problems";
import { request } from "@/server/protocol/request";
import { AppHeader } from "./app-header";
import { useSocket } from "./use-socket";

export function InviteJoin({ token, user }: { token: string; user: { id: string; username: string } }) {
  const t = useTranslations("inviteJoin");
  const say = useProblemText();
  const router = useRouter();
  const { socket, connection } = useSocket();
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    if (!socket || connection !== "connected") return;
    let gone = false;
    request(socket, "room:join", { inviteToken: token })
      .then(({ room }) => {
        if (!gone) router.replace(`/rooms/${encodeURIComponent(room.id)}`);
      })
      .catch((error) => {
        if (!gone) setProblem(problemOf(error));
      });
    return () => {
      gone = true;
    };
  }, [socket, connection, token, router]);

  return (
    <div className="flex h-full flex-col">
      <AppHeader username={user.username} connection={connection} />
      <main className="grid flex-1 place-items-center p-6 text-center">
        {problem ? (
          <div>
            <p role="alert" className="text-lg font-medium">
              {say(problem, "inviteLink")}
            </p>
            <Link href="/" className="mt-3 inline-block text-brand-600 hover:underline dark:text-brand-100">
              {t("toLobby")}
            </Link>
          </div>
        ) : (
          <p role="status" className="text-slate-600 dark:text-slate-400">
            {t("joining")}
          </p>
        )}
      </main>
    </div>
  );
}
