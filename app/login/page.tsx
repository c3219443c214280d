import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { getTranslations } from "next-intl/server";
import { authOptions } from "@/server/auth/next-auth-options";
import { serverBridge } from "@/server/bridge";
import { LanguageSwitch } from "../components/language-switch";
import { ThemeToggle } from "../components/theme-toggle";
import { safeCallback } from "../lib/safe-callback";
import { LoginForm } from "./login-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("meta"))("signIn") };
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  if (await getServerSession(authOptions())) redirect(callbackUrl);
  const t = await getTranslations("login");
  // an invitation to sign up: a server invite (?invite=) or a room's invite link being opened
  const invite = (typeof params.invite === "string" ? params.invite : undefined) ?? /^\/invite\/([\w-]+)$/.exec(callbackUrl)?.[1];
  const registration = await serverBridge().registration();
  // who may make an account here: nobody, or only someone invited
  const canRegister = registration === "open" || (registration === "invite-only" && invite !== undefined);
  return (
    <main className="flex min-h-full flex-col">
      <div className="flex flex-1 items-start justify-center px-4 pb-16 pt-6 sm:items-center sm:pt-0">
        <div className="w-full max-w-sm">
          <div className="mb-8 text-center">
            <span
              aria-hidden="true"
              className="mx-auto mb-4 grid h-12 w-12 place-items-center rounded-xl bg-brand-600 text-xl font-bold text-white shadow-sm"
            >
              K
            </span>
            <h1 className="text-2xl font-semibold tracking-tight">{t("welcome")}</h1>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{t("intro")}</p>
          </div>
          <LoginForm callbackUrl={callbackUrl} invite={invite} canRegister={canRegister} />
          {!canRegister && (
            <p className="mt-4 text-center text-sm text-slate-600 dark:text-slate-400">
              {registration === "closed" ? t("registrationClosed") : t("registrationByInvite")}
            </p>
          )}
        </div>
      </div>
      {/* shown at the top, but after the form for the keyboard: Tab starts with the username */}
      <div className="order-first flex justify-end gap-1 p-3">
        <LanguageSwitch />
        <ThemeToggle />
      </div>
    </main>
  );
}
