import type { Metadata } from "next";
import { serverBridge } from "@/server/bridge";
import { ConversationView } from "../../components/conversation-view";
import { requireUser } from "../../lib/session";

export async function generateMetadata({ params }: { params: Promise<{ username: string }> }): Promise<Metadata> {
  return { title: `@${decodeURIComponent((await params).username)}` };
}

export default async function ConversationPage({ params }: { params: Promise<{ username: string }> }) {
  const username = decodeURIComponent((await params).username);
  const user = await requireUser(`/messages/${encodeURIComponent(username)}`);
  return <ConversationView username={username} user={user} maxUploadBytes={serverBridge().maxUploadBytes} />;
}
