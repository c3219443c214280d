import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Lobby } from "./components/lobby";
import { requireUser } from "./lib/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("meta"))("lobby") };
}

export default async function LobbyPage() {
  const user = await requireUser("/");
  return <Lobby user={user} />;
}
