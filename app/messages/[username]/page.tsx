import type { Metadata } from "next";
import { serverBridge } from "@/server/bridge";
import { ConversationView } from "../../components/conversation-view";
import { linkedSeq, withLinkedSeq } from "../../lib/message-link";
import { requireUser } from "../../lib/session";

export async function generateMetadata({ params }: { params: Promise<{ username: string }> }): Promise<Metadata> {
  return { title: `@${decodeURIComponent((await params).username)}` };
}

export default async function ConversationPage({
  params,
  searchParams,
}: {
  params: Promise<{ username: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const username = decodeURIComponent((await params).username);
  const openAt = linkedSeq(await searchParams);
  const user = await requireUser(withLinkedSeq(`/messages/${encodeURIComponent(username)}`, openAt));
  return <ConversationView username={username} user={user} maxUploadBytes={serverBridge().maxUploadBytes} openAt={openAt} />;
}
