/**
 * Issue 22 §3: a secret echoed back altered — clipped, split by a line break, in capitals,
 * base64-encoded, with zero-width characters between its letters — is still a secret. The
 * redaction of the HTTP layer (src/http/redact.ts) removes each form, and any run of 8 or more
 * of the secret's characters, and leaves ordinary text alone.
 */
import { describe, expect, it } from "vitest";
import { REDACTED, redactSecrets } from "../../src/http/redact.js";

const SECRET = "Zq7vK2pW9xR4mT8bN3cY6hJ5d"; // 25 characters, as in the issue
const b64 = (s: string, offset = 0) => Buffer.concat([Buffer.alloc(offset, 0x41), Buffer.from(s)]).toString("base64");

/** Every 8-character run of the secret (case and invisible characters ignored) that is left in `text`. */
function leftOf(text: string, secret = SECRET): string[] {
  const flat = text.replace(/[\s\u200b-\u200f\u2060\ufeff]/g, "").toLowerCase();
  const left: string[] = [];
  for (let i = 0; i + 8 <= secret.length; i++) if (flat.includes(secret.slice(i, i + 8).toLowerCase())) left.push(secret.slice(i, i + 8));
  return left;
}

export const SECRET_FORMS: [string, (s: string) => string][] = [
  ["whole", (s) => s],
  ["clipped at 500 characters, 20 of 25 left", (s) => `${"x".repeat(480)}${s}`.slice(0, 500)],
  ["split by a line break", (s) => `${s.slice(0, 12)}\n${s.slice(12)}`],
  ["upper-cased", (s) => s.toUpperCase()],
  ["base64-encoded", (s) => b64(s)],
  ["base64-encoded inside other text", (s) => b64(`token=${s};`, 1)],
  ["zero-width characters between the letters", (s) => [...s].join("\u200b")],
];

describe("a secret echoed back altered is redacted", () => {
  it.each(SECRET_FORMS)("%s", (_what, form) => {
    const text = `Invalid token ${form(SECRET)} (request 42).`;
    const out = redactSecrets(text, [SECRET]);
    expect(out).toContain(REDACTED);
    expect(leftOf(out)).toEqual([]);
    expect(out).not.toContain(b64(SECRET).slice(4, 16));
    expect(out).toMatch(/^Invalid token /);
    expect(out).toMatch(/\(request 42\)\.$/);
  });

  it("any run of 8 of its characters, and no shorter one", () => {
    expect(redactSecrets(`see ${SECRET.slice(5, 13)} here`, [SECRET])).toBe(`see ${REDACTED} here`);
    expect(redactSecrets(`see ${SECRET.slice(5, 12)} here`, [SECRET])).toBe(`see ${SECRET.slice(5, 12)} here`);
  });

  it("leaves text without the secret as it was", () => {
    const text = "Partner Center GET /v1/customers/0e7c3a55-91d2-4b6f-8a0e-3c4d5e6f7a8b/subscriptions failed: 400 2001: Quantity is invalid.";
    expect(redactSecrets(text, [SECRET])).toBe(text);
  });
});
