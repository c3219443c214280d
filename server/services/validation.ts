// Parsing a transport's input with a protocol schema (server/protocol/fields.ts).
import { z } from "zod";
import { AppError } from "./errors.ts";

const english = z.locales.en();

/**
 * The first problem in words. A rule's own sentence ("Room name must be 1-64 characters") is
 * written for people and says which field it is about; zod's wording for anything else (a
 * missing field, a wrong type, a rule without a sentence) is for client writers and is prefixed
 * with the field's path ("roomId: Invalid input: expected string, received number").
 */
function inWords(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  const structural = issue.code === "invalid_type" || issue.code === "unrecognized_keys" || issue.code === "invalid_union";
  const worded = !structural && issue.message !== english.localeError(issue as never);
  return worded ? issue.message : `${where}${issue.message}`;
}

/** Parses `input` with `schema`, or throws invalid_input saying what the first problem is. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new AppError("invalid_input", inWords(result.error.issues[0]));
}
