import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { serverBridge } from "@/server/bridge";
import { AdminView } from "../components/admin/admin-view";
import { requireUser } from "../lib/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("title") };
}

// For server admins only: to anyone else there is no such page.
export default async function AdminPage() {
  const user = await requireUser("/admin");
  if (!(await serverBridge().isAdmin(user.id))) notFound();
  return <AdminView user={user} maxUploadMb={Math.floor(serverBridge().maxUploadBytes / (1024 * 1024))} />;
}
