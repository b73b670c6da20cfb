// Every GitHub answer is parsed with a schema before it is used: a wrong shape (an HTML error page, an
// API change, a proxy's reply) is incomplete, naming the endpoint and the first problem, never guessed at.
import type { z } from "zod";
import { IncompleteError } from "../errors.js";

/** Parses a GitHub answer; a wrong shape is incomplete, naming the endpoint and the first problem. */
export function parseAnswer<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.length ? issue.path.join(".") : "(top level)";
    throw new IncompleteError(`GitHub answered ${what} with an unexpected shape: ${at}: ${issue?.message}`);
  }
  return parsed.data;
}
