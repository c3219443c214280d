import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { FilesView } from "../components/files/files-view";
import { requireUser } from "../lib/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("meta"))("allFiles") };
}

export default async function AllFilesPage() {
  const user = await requireUser("/files");
  return <FilesView place="all" user={user} />;
}
