/** Fixture files: where the demo lives, and loading + validating a world (schema, then references). */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsPlugin from "ajv-formats";
import { PcplanError } from "../errors.js";
import type { SandboxFixture } from "./types.js";

/** Resolved from this module, so it works from src/ (tsx, vitest) and from dist/. */
export const DEMO_FIXTURE_PATH: string = fileURLToPath(new URL("../../fixtures/demo-world.json", import.meta.url));
export const SANDBOX_SCHEMA_PATH: string = fileURLToPath(new URL("../../schemas/sandbox.schema.json", import.meta.url));

/** The demo world's bearer tokens (documented, not secrets). */
export const SANDBOX_TOKENS: { admin: string; sales: string; helpdesk: string } = {
  admin: "sandbox-admin-agent-token",
  sales: "sandbox-sales-agent-token",
  helpdesk: "sandbox-helpdesk-agent-token",
};

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsPlugin as unknown as typeof addFormatsPlugin.default;

let validator: ValidateFunction | undefined;
function getValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    validator = ajv.compile(JSON.parse(readFileSync(SANDBOX_SCHEMA_PATH, "utf8")) as object);
  }
  return validator;
}

function describe(e: ErrorObject): string {
  const at = e.instancePath || "/";
  if (e.keyword === "additionalProperties") {
    return `${at}: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  }
  if (e.keyword === "required") {
    return `${at}: missing field "${(e.params as { missingProperty: string }).missingProperty}"`;
  }
  return `${at}: ${e.message ?? e.keyword}`;
}

/** Schema-checks an already-parsed value; returns `path: message` lines (empty when valid). */
export function fixtureSchemaErrors(value: unknown): string[] {
  const validate = getValidator();
  if (validate(value)) return [];
  return (validate.errors ?? []).map(describe);
}

/** Cross-references the schema cannot express: unique ids, known offers and skus. */
export function fixtureReferenceErrors(f: SandboxFixture): string[] {
  const errors: string[] = [];
  const lc = (s: string) => s.toLowerCase();
  const skus = new Set<string>();
  f.skus.forEach((s, i) => {
    if (skus.has(lc(s.id))) errors.push(`/skus/${i}/id: duplicate sku id ${s.id}`);
    skus.add(lc(s.id));
  });
  const offers = new Set<string>();
  f.offers.forEach((o, i) => {
    if (offers.has(lc(o.id))) errors.push(`/offers/${i}/id: duplicate offer id ${o.id}`);
    offers.add(lc(o.id));
    if (!skus.has(lc(o.skuId))) errors.push(`/offers/${i}/skuId: unknown sku ${o.skuId}`);
    if (o.minimumQuantity > o.maximumQuantity) errors.push(`/offers/${i}/minimumQuantity: greater than maximumQuantity`);
  });
  const customers = new Set<string>();
  const subs = new Set<string>();
  f.customers.forEach((c, i) => {
    if (customers.has(lc(c.id))) errors.push(`/customers/${i}/id: duplicate customer id ${c.id}`);
    customers.add(lc(c.id));
    c.subscriptions.forEach((s, j) => {
      if (subs.has(lc(s.id))) errors.push(`/customers/${i}/subscriptions/${j}/id: duplicate subscription id ${s.id}`);
      subs.add(lc(s.id));
      if (!offers.has(lc(s.offerId))) errors.push(`/customers/${i}/subscriptions/${j}/offerId: unknown offer ${s.offerId}`);
      if (s.status === "suspended" && s.suspendedAt === undefined) {
        errors.push(`/customers/${i}/subscriptions/${j}: missing field "suspendedAt" (required when status is suspended)`);
      }
    });
    const users = new Set<string>();
    c.users.forEach((u, j) => {
      if (users.has(lc(u.id))) errors.push(`/customers/${i}/users/${j}/id: duplicate user id ${u.id}`);
      users.add(lc(u.id));
      u.licenses.forEach((l, k) => {
        if (!skus.has(lc(l))) errors.push(`/customers/${i}/users/${j}/licenses/${k}: unknown sku ${l}`);
      });
    });
  });
  const tokens = new Set<string>();
  f.credentials.forEach((c, i) => {
    if (tokens.has(c.token)) errors.push(`/credentials/${i}/token: duplicate token`);
    tokens.add(c.token);
  });
  return errors;
}

/** Throws a PcplanError naming the source and every bad field, or returns the fixture. */
export function validateFixture(value: unknown, source = "fixture"): SandboxFixture {
  const schemaErrors = fixtureSchemaErrors(value);
  const errors = schemaErrors.length > 0 ? schemaErrors : fixtureReferenceErrors(value as SandboxFixture);
  if (errors.length > 0) {
    const shown = errors.slice(0, 20).map((e) => `  ${e}`);
    if (errors.length > 20) shown.push(`  … and ${errors.length - 20} more`);
    throw new PcplanError("SANDBOX_FIXTURE_INVALID", `${source}: invalid sandbox fixture:\n${shown.join("\n")}`);
  }
  return value as SandboxFixture;
}

export async function loadFixture(path: string): Promise<SandboxFixture> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new PcplanError("SANDBOX_FIXTURE_UNREADABLE", `${path}: cannot read sandbox fixture (${(err as Error).message})`, true, {
      cause: err,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new PcplanError("SANDBOX_FIXTURE_INVALID", `${path}: sandbox fixture is not valid JSON (${(err as Error).message})`);
  }
  return validateFixture(value, path);
}
