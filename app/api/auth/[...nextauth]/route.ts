// next-auth's routes. One addition: a sign-in refused for too many failures answers HTTP 429
// with Retry-After (next-auth itself answers every refused sign-in with 401).
import NextAuth from "next-auth";
import { authOptions, RATE_LIMITED_PREFIX } from "@/server/auth/next-auth-options";

type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(req: Request, ctx: Context): Promise<Response> {
  const response: Response = await NextAuth(authOptions())(req, ctx);
  if (req.method !== "POST" || response.status !== 401) return response;
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { url?: string } | null;
  const error = body?.url ? new URL(body.url, "http://x").searchParams.get("error") : null;
  if (!error?.startsWith(RATE_LIMITED_PREFIX)) return response;
  const [, retryAfter, ...message] = error.split(":");
  const headers = new Headers(response.headers);
  headers.set("retry-after", retryAfter);
  headers.delete("content-length");
  const url = new URL(body!.url!, "http://x");
  url.searchParams.set("error", message.join(":"));
  return new Response(JSON.stringify({ url: url.toString() }), { status: 429, headers });
}

export { handler as GET, handler as POST };
