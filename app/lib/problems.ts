"use client";

// What went wrong, as the person reads it: the server's error `code` (never its English
// `message`) or a failure the page saw itself, in the page's language (messages: `errors`).
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { errorKey, errorValues } from "@/server/i18n/choose";
import type { ErrorCode } from "@/server/protocol";
import { ERROR_CODES } from "@/server/protocol/errors";

export type ProblemCode = ErrorCode | "timeout" | "network";

export interface Problem {
  code: ProblemCode;
  /** for rate_limited: seconds until a retry can succeed */
  retryAfter?: number;
}

const KNOWN = new Set<string>([...ERROR_CODES, "timeout", "network"]);

/** The problem an error carries (a RequestError, an HTTP error body), else `internal`. */
export function problemOf(error: unknown): Problem {
  const { code, retryAfter } = (error ?? {}) as { code?: unknown; retryAfter?: unknown };
  return {
    code: typeof code === "string" && KNOWN.has(code) ? (code as ProblemCode) : "internal",
    ...(typeof retryAfter === "number" ? { retryAfter } : {}),
  };
}

/**
 * Says a problem in words. `context` names where it happened (`roomCreate`, `register`…): a
 * message `errors.<context>.<code>` says it better there (with `extra` values, such as the
 * username nobody has), else `errors.<code>` says it in general.
 */
export function useProblemText() {
  const t = useTranslations();
  return useCallback(
    (problem: Problem | unknown, context?: string, extra: Record<string, string | number> = {}) => {
      const { code, retryAfter } = problemOf(problem);
      return t(
        errorKey(code, context, (key) => t.has(key)),
        errorValues(retryAfter, extra),
      );
    },
    [t],
  );
}
