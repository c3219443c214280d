import type { Metadata } from "next";
import { FilesView } from "../components/files/files-view";
import { requireUser } from "../lib/session";

export const metadata: Metadata = { title: "All files" };

export default async function AllFilesPage() {
  const user = await requireUser("/files");
  return <FilesView place="all" user={user} />;
}
