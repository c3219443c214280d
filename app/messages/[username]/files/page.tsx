import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { FilesView } from "../../../components/files/files-view";
import { requireUser } from "../../../lib/session";

export async function generateMetadata({ params }: { params: Promise<{ username: string }> }): Promise<Metadata> {
  const t = await getTranslations("meta");
  return { title: t("filesWith", { username: decodeURIComponent((await params).username) }) };
}

export default async function ConversationFilesPage({ params }: { params: Promise<{ username: string }> }) {
  const username = decodeURIComponent((await params).username);
  const user = await requireUser(`/messages/${encodeURIComponent(username)}/files`);
  return <FilesView place={{ username }} user={user} />;
}
