import type { Metadata } from "next";
import { FilesView } from "../../../components/files/files-view";
import { requireUser } from "../../../lib/session";

export async function generateMetadata({ params }: { params: Promise<{ username: string }> }): Promise<Metadata> {
  return { title: `Files with @${decodeURIComponent((await params).username)}` };
}

export default async function ConversationFilesPage({ params }: { params: Promise<{ username: string }> }) {
  const username = decodeURIComponent((await params).username);
  const user = await requireUser(`/messages/${encodeURIComponent(username)}/files`);
  return <FilesView place={{ username }} user={user} />;
}
