import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("notFound"))("title") };
}

/** Any address that is no page: said plainly, in the page's theme and language, with the way back. */
export default async function NotFound() {
  const t = await getTranslations("notFound");
  return (
    <main className="grid min-h-full place-items-center p-6 text-center">
      <div className="max-w-sm">
        <p className="text-5xl font-semibold text-brand-600 dark:text-brand-100">404</p>
        <h1 className="mt-3 text-xl font-semibold">{t("title")}</h1>
        <p className="mt-2 text-slate-600 dark:text-slate-400">{t("text")}</p>
        <Link
          href="/"
          className="mt-6 inline-block rounded-xl bg-brand-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700"
        >
          {t("back")}
        </Link>
      </div>
    </main>
  );
}
