// Incoming webhooks (docs/integrations.md): POST /hooks/{secret} with a JSON body (Slack's
// format, or just { "text": "…" }) or a form with a `payload` field, as Slack accepts. Answered
// as Slack answers, in plain text: `200 ok`, or a word saying what was wrong
// (`invalid_payload`, `no_text`, `no_service`, `channel_is_archived`, `rate_limited`), so tools
// written for Slack read our answers as theirs.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../log.ts";
import { MAX_HOOK_BODY_BYTES } from "../protocol/index.ts";
import { AppError, toErrorBody } from "../services/errors.ts";
import type { WebhookService } from "../services/integrations/webhooks.ts";
import type { Route } from "./api.ts";
import { closeGently, logError, readText } from "./respond.ts";

function answer(res: ServerResponse, status: number, word: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers }).end(word);
}

/** The payload, from JSON or from a form's `payload` field. */
async function payloadOf(req: IncomingMessage): Promise<unknown> {
  const text = await readText(req, MAX_HOOK_BODY_BYTES);
  const form = (req.headers["content-type"] ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded");
  const json = form ? new URLSearchParams(text).get("payload") : text;
  try {
    return JSON.parse(json ?? "");
  } catch {
    throw new AppError("invalid_input", "invalid_payload");
  }
}

export function hookRoutes({ webhooks, log }: { webhooks: WebhookService; log: Logger }): Route[] {
  return [
    {
      path: /^\/hooks\/([A-Za-z0-9_-]{16,64})$/,
      methods: {
        POST: async (req, res, [secret]) => {
          try {
            const posted = await webhooks.receive(secret, await payloadOf(req));
            answer(res, 200, "ok");
            posted.announce();
          } catch (error) {
            logError(error, log);
            closeGently(req, res);
            const { code, message, retryAfter } = toErrorBody(error);
            if (code === "too_large") return answer(res, 413, "payload_too_large");
            if (code === "rate_limited") return answer(res, 429, "rate_limited", { "retry-after": String(retryAfter ?? 1) });
            if (code === "not_found") return answer(res, 404, "no_service");
            // the room was archived since the webhook was made
            if (code === "forbidden") return answer(res, 410, "channel_is_archived");
            if (code === "invalid_input") return answer(res, 400, message.startsWith("no_text") ? "no_text" : "invalid_payload");
            return answer(
              res,
              code === "unavailable" ? 503 : 500,
              code === "unavailable" ? "service_unavailable" : "internal_error",
            );
          }
        },
      },
    },
  ];
}
