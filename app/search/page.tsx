import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { SearchView } from "../components/search/search-view";
import { searchHref } from "../lib/search-href";
import { requireUser } from "../lib/session";

type Params = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : null);

export async function generateMetadata({ searchParams }: { searchParams: Promise<Params> }): Promise<Metadata> {
  const t = await getTranslations("search");
  const q = one((await searchParams).q);
  return { title: q ? t("titleFor", { query: q }) : t("title") };
}

export default async function SearchPage({ searchParams }: { searchParams: Promise<Params> }) {
  const raw = await searchParams;
  const params = {
    q: (one(raw.q) ?? "").slice(0, 256),
    room: one(raw.room),
    with: one(raw.with),
    all: one(raw.all) === "1",
    order: one(raw.order) === "best" ? ("best" as const) : ("newest" as const),
  };
  const user = await requireUser(searchHref(params));
  return <SearchView user={user} params={params} />;
}
