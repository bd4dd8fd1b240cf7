import type { z } from "zod";
import { BadRequestError } from "./errors.ts";

/** Parses untrusted input (params, query, body) with zod; any mismatch is a 400 with a French message. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, message?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new BadRequestError(message);
  return result.data;
}
