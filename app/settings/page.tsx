import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AccountSettings } from "../components/account-settings";
import { requireUser } from "../lib/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("accountSettings"))("title") };
}

export default async function SettingsPage() {
  const user = await requireUser("/settings");
  return <AccountSettings user={user} />;
}
