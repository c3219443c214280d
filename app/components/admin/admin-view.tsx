"use client";

// The server admin's page: people (deactivate, make admin, a password reset link), every room
// (archive, delete), and the server's settings (registration, invites, upload limit, the room
// newcomers join).
import { useTranslations } from "next-intl";
import { AppHeader } from "../app-header";
import { useSocket } from "../use-socket";
import { AdminRooms } from "./admin-rooms";
import { AdminServer } from "./admin-server";
import { AdminUsers } from "./admin-users";

export function AdminView({ user, maxUploadMb }: { user: { id: string; username: string }; maxUploadMb: number }) {
  const t = useTranslations("admin");
  const { socket, connection } = useSocket();
  return (
    <div className="flex min-h-full flex-col">
      <AppHeader username={user.username} connection={connection}>
        <h1 className="truncate text-base font-semibold">{t("title")}</h1>
      </AppHeader>
      <main className="mx-auto grid w-full max-w-6xl gap-6 px-4 py-6 sm:px-6 lg:grid-cols-2">
        <AdminUsers me={user.id} />
        <div className="space-y-6">
          <AdminServer maxUploadMb={maxUploadMb} />
          <AdminRooms socket={socket} />
        </div>
      </main>
    </div>
  );
}

/** A card on the admin page. */
export function AdminCard({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section
      aria-labelledby={id}
      className="space-y-3 rounded-2xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 id={id} className="font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}
