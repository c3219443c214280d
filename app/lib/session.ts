import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { authOptions } from "@/server/auth/next-auth-options";

/** The signed-in user, or a redirect to sign-in that comes back to `path` afterwards. */
export async function requireUser(path: string): Promise<{ id: string; username: string }> {
  const session = await getServerSession(authOptions());
  if (!session?.user?.id) redirect(`/login?callbackUrl=${encodeURIComponent(path)}`);
  return { id: session.user.id, username: session.user.name };
}
