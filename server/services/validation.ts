// Parsing a transport's input with a protocol schema (server/protocol/fields.ts).
import type { z } from "zod";
import { AppError } from "./errors.ts";

/** Parses `input` with `schema`, or throws invalid_input naming the first problem. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  throw new AppError("invalid_input", `${where}${issue.message}`);
}
