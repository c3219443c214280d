import type { Metadata } from "next";
import { FilesView } from "../../../components/files/files-view";
import { requireUser } from "../../../lib/session";

export const metadata: Metadata = { title: "Files" };

export default async function RoomFilesPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/rooms/${encodeURIComponent(id)}/files`);
  return <FilesView place={{ roomId: id }} user={user} />;
}
