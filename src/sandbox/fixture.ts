/** Fixture files: where the demo lives, and loading + validating a world (schema, then references). */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsPlugin from "ajv-formats";
import { PcplanError } from "../errors.js";
import { fixtureReferenceErrors } from "./fixture-references.js";
import type { SandboxFixture } from "./types.js";

export { fixtureReferenceErrors };

/** Resolved from this module, so it works from src/ (tsx, vitest) and from dist/. */
export const DEMO_FIXTURE_PATH: string = fileURLToPath(new URL("../../fixtures/demo-world.json", import.meta.url));
/** The demo world's price sheet (US, list prices of Business Basic and Standard): what the sandbox's price sheet call answers. */
export const DEMO_PRICES_PATH: string = fileURLToPath(new URL("../../fixtures/demo-prices.csv", import.meta.url));
export const SANDBOX_SCHEMA_PATH: string = fileURLToPath(new URL("../../schemas/sandbox.schema.json", import.meta.url));

/** The demo world's bearer tokens (documented, not secrets). */
export const SANDBOX_TOKENS: { admin: string; sales: string; helpdesk: string; buyOnly: string } = {
  admin: "sandbox-admin-agent-token",
  sales: "sandbox-sales-agent-token",
  helpdesk: "sandbox-helpdesk-agent-token",
  /** Admin agent, but for Contoso only Directory Readers: may buy there, may not assign licences. */
  buyOnly: "sandbox-buy-only-agent-token",
};

/** The demo world's app registrations, for Graph tokens from the sandbox's token endpoint (documented, not secrets). */
export const SANDBOX_APPS: { admin: { clientId: string; clientSecret: string; refreshToken: string }; buyOnly: { clientId: string; clientSecret: string } } = {
  admin: { clientId: "5d2c6f0a-1b7e-4c55-9a1e-0a7c3e9b2d01", clientSecret: "sandbox-admin-app-secret", refreshToken: "sandbox-admin-refresh-token" },
  buyOnly: { clientId: "5d2c6f0a-1b7e-4c55-9a1e-0a7c3e9b2d04", clientSecret: "sandbox-buy-only-app-secret" },
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

/** A date that is neither kind answers once, in words, not with each alternative's failure. */
const DATE_CHOICE = "#/$defs/dateTime/anyOf";

/** Schema-checks an already-parsed value; returns `path: message` lines (empty when valid). */
export function fixtureSchemaErrors(value: unknown): string[] {
  const validate = getValidator();
  if (validate(value)) return [];
  return (validate.errors ?? [])
    .filter((e) => !e.schemaPath.startsWith(`${DATE_CHOICE}/`))
    .map((e) =>
      e.schemaPath === DATE_CHOICE
        ? `${e.instancePath}: must be an ISO 8601 date-time (2027-03-31T00:00:00Z) or a date relative to the sandbox clock (today, today+P127D, now-PT10M)`
        : describe(e),
    );
}

/** Throws a PcplanError naming the source and every bad field, or returns the fixture. `schema: false` checks the references only. */
export function validateFixture(value: unknown, source = "fixture", opts: { schema?: boolean } = {}): SandboxFixture {
  const schemaErrors = opts.schema === false ? [] : fixtureSchemaErrors(value);
  const errors = schemaErrors.length > 0 ? schemaErrors : fixtureReferenceErrors(value as SandboxFixture);
  if (errors.length > 0) {
    const shown = errors.slice(0, 20).map((e) => `  ${e}`);
    if (errors.length > 20) shown.push(`  … and ${errors.length - 20} more`);
    throw new PcplanError("SANDBOX_FIXTURE_INVALID", `${source}: invalid sandbox fixture:\n${shown.join("\n")}`);
  }
  return value as SandboxFixture;
}

/**
 * Reads and checks a fixture file. `shipped`: the demo world that ships with pcplan
 * (DEMO_FIXTURE_PATH), whose schema check test/sandbox/fixture.test.ts makes on every CI run, is
 * checked for its references only: compiling the fixture schema with ajv was a fifth of the CPU
 * of each `pcplan plan --sandbox` (docs/performance.md, "Cold start").
 */
export async function loadFixture(path: string, opts: { shipped?: boolean } = {}): Promise<SandboxFixture> {
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
  return validateFixture(value, path, { schema: !opts.shipped });
}
