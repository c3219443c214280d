// The input rules shared by every transport: the HTTP API, Socket.IO events and the forms.
import { z } from "zod";
import { AppError } from "./errors.ts";

export const username = z
  .string()
  .trim()
  .min(3, "Username must be 3-32 characters")
  .max(32, "Username must be 3-32 characters")
  .regex(/^[A-Za-z0-9_.-]+$/, "Username may contain only letters, digits, _ . and -");

export const password = z
  .string()
  .min(8, "Password must be at least 8 characters")
  .max(1024, "Password must be at most 1024 characters");

export const credentials = z.object({ username, password });

export const id = z.string().min(1).max(64);

export const roomName = z
  .string()
  .trim()
  .min(1, "Room name must be 1-64 characters")
  .max(64, "Room name must be 1-64 characters");
export const roomTopic = z.string().trim().max(256, "Topic must be at most 256 characters");

export const messageBody = z
  .string()
  .max(16_000, "Message must be at most 4000 characters")
  .transform((s) => s.trim())
  .pipe(z.string().min(1, "Message must not be empty").max(4000, "Message must be at most 4000 characters"));

export const clientMsgId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "clientMsgId: 1-64 of A-Z a-z 0-9 _ -");

/** Parses `input` with `schema`, or throws invalid_input naming the first problem. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  throw new AppError("invalid_input", `${where}${issue.message}`);
}
