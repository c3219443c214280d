import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { FilesView } from "../../../components/files/files-view";
import { requireUser } from "../../../lib/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("meta"))("files") };
}

export default async function RoomFilesPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/rooms/${encodeURIComponent(id)}/files`);
  return <FilesView place={{ roomId: id }} user={user} />;
}
