import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ResetPassword } from "../../components/reset-password";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("resetPassword"))("title") };
}

// A one-time link a server admin issued: a new password, then signed in with it.
export default async function ResetPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return <ResetPassword token={token} />;
}
