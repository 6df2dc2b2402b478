/** Request bodies: bounded read, JSON parse, and PascalCase → camelCase (the service reads either). */
import type { IncomingMessage } from "node:http";
import { ErrorCode, HttpError, badRequest } from "./http-error.js";

const MAX_BODY_BYTES = 1_000_000;

/** The body as text (BOM removed), or undefined once it passes `maxBytes` (the rest is not kept). */
export async function readBodyText(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) return undefined;
    chunks.push(buf);
  }
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
}

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readBodyText(req);
  if (text === undefined) throw new HttpError(413, ErrorCode.invalidInput, "The request body is too large.");
  if (text.trim() === "") return undefined;
  try {
    return camelizeKeys(JSON.parse(text));
  } catch {
    throw badRequest(ErrorCode.invalidInput, "The request body is not valid JSON.");
  }
}

/** Lower-cases the first letter of every object key, recursively. */
export function camelizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelizeKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k.charAt(0).toLowerCase() + k.slice(1)] = camelizeKeys(v);
    return out;
  }
  return value;
}

export function asObject(body: unknown, what: string): Record<string, unknown> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw badRequest(ErrorCode.invalidInput, `The request body must be a JSON object (${what}).`);
  }
  return body as Record<string, unknown>;
}
