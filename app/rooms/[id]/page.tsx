import { serverBridge } from "@/server/bridge";
import { RoomView } from "../../components/room-view";
import { requireUser } from "../../lib/session";

export default async function RoomPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/rooms/${encodeURIComponent(id)}`);
  return <RoomView roomId={id} user={user} maxUploadBytes={serverBridge().maxUploadBytes} />;
}
