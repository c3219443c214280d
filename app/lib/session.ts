import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { authOptions } from "@/server/auth/next-auth-options";

/** The signed-in user, or null; read once per request (a page's metadata and the page itself share it). */
export const currentUser = cache(async (): Promise<{ id: string; username: string } | null> => {
  const session = await getServerSession(authOptions());
  return session?.user?.id ? { id: session.user.id, username: session.user.name } : null;
});

/** The signed-in user, or a redirect to sign-in that comes back to `path` afterwards. */
export async function requireUser(path: string): Promise<{ id: string; username: string }> {
  const user = await currentUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(path)}`);
  return user;
}
