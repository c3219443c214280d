import type { Metadata } from "next";
import { serverBridge } from "@/server/bridge";
import { RoomView } from "../../components/room-view";
import { linkedSeq, withLinkedSeq } from "../../lib/message-link";
import { currentUser, requireUser } from "../../lib/session";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  // only for someone signed in (a visitor is sent to sign in) who may see the room; a malformed id is simply no room
  const user = await currentUser();
  if (!user) return {};
  const name = await serverBridge()
    .roomName((await params).id, user.id)
    .catch(() => null);
  return name ? { title: `# ${name}` } : {};
}

export default async function RoomPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const openAt = linkedSeq(await searchParams);
  const user = await requireUser(withLinkedSeq(`/rooms/${encodeURIComponent(id)}`, openAt));
  return <RoomView roomId={id} user={user} maxUploadBytes={serverBridge().maxUploadBytes} openAt={openAt} />;
}
