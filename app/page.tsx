import type { Metadata } from "next";
import { Lobby } from "./components/lobby";
import { requireUser } from "./lib/session";

export const metadata: Metadata = { title: "Lobby" };

export default async function LobbyPage() {
  const user = await requireUser("/");
  return <Lobby user={user} />;
}
