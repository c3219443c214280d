import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Lobby } from "./components/lobby";
import { requireUser } from "./lib/session";

export async function generateMetadata(): Promise<Metadata> {
  // the root layout's title template applies to pages below it, not to this one beside it
  return { title: { absolute: `${(await getTranslations("meta"))("lobby")} · Komnata` } };
}

export default async function LobbyPage() {
  const user = await requireUser("/");
  return <Lobby user={user} />;
}
