import type { Metadata } from "next";
import { requireUser } from "./lib/session";
import { Lobby } from "./components/lobby";

export const metadata: Metadata = { title: "Lobby" };

export default async function LobbyPage() {
  const user = await requireUser("/");
  return <Lobby user={user} />;
}
