import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { InviteJoin } from "../../components/invite-join";
import { requireUser } from "../../lib/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("inviteJoin");
  return { title: t("title") };
}

// An invite link: signed out, through sign-in (or sign-up) and back here; signed in, into the room.
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const user = await requireUser(`/invite/${encodeURIComponent(token)}`);
  return <InviteJoin token={token} user={user} />;
}
