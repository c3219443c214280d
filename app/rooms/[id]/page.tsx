import { serverBridge } from "@/server/bridge";
import { RoomView } from "../../components/room-view";
import { linkedSeq, withLinkedSeq } from "../../lib/message-link";
import { requireUser } from "../../lib/session";

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
