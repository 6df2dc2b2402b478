import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { PcplanError } from "../errors.js";
import { savedPlanShapeProblem } from "./check-shape.js";
import { SAVED_PLAN_KIND as KIND, SAVED_PLAN_VERSION, type SavedPlan } from "./types.js";

export { SAVED_PLAN_VERSION, type SavedPlan };

const MAX_BYTES = 64 * 1024 * 1024;

export type SavedPlanBody = Omit<SavedPlan, "integrity" | "formatVersion" | "kind">;

export function createSavedPlan(body: SavedPlanBody): SavedPlan {
  const unsigned = { formatVersion: SAVED_PLAN_VERSION, kind: KIND, ...body } as const;
  return { ...unsigned, integrity: digest(unsigned) };
}

export function serializeSavedPlan(p: SavedPlan): string {
  return JSON.stringify(p, null, 2) + "\n";
}

/** Reads and checks a saved plan; any doubt is a user error naming the file. */
export async function readSavedPlan(file: string): Promise<SavedPlan> {
  // Opened resolved against process.cwd() like every path pcplan opens; messages name it as given.
  const size = (await stat(resolve(file)).catch(() => undefined))?.size;
  if (size === undefined) throw new PcplanError("SAVED_PLAN", `${file}: no such saved plan file`);
  if (size > MAX_BYTES) throw new PcplanError("SAVED_PLAN", `${file}: ${size} bytes is too large for a saved plan`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(resolve(file), "utf8"));
  } catch (err) {
    throw new PcplanError("SAVED_PLAN", `${file}: not a saved plan (invalid JSON: ${(err as Error).message})`);
  }
  if (!isRecord(parsed) || parsed.kind !== KIND) throw new PcplanError("SAVED_PLAN", `${file}: not a pcplan saved plan (kind must be "${KIND}")`);
  if (parsed.formatVersion !== SAVED_PLAN_VERSION) {
    throw new PcplanError(
      "SAVED_PLAN",
      `${file}: saved plan formatVersion ${String(parsed.formatVersion)} is not supported (expected ${SAVED_PLAN_VERSION}); run plan again`,
    );
  }
  const { integrity, ...rest } = parsed;
  if (typeof integrity !== "string" || integrity !== digest(rest)) {
    throw new PcplanError("SAVED_PLAN", `${file}: integrity check failed: the saved plan was modified after it was written; run plan again`);
  }
  const problem = savedPlanShapeProblem(parsed);
  if (problem) throw new PcplanError("SAVED_PLAN", `${file}: not a valid saved plan: ${problem}`);
  const saved = parsed as unknown as SavedPlan;
  const seen = new Set<string>();
  for (const c of saved.customers) {
    if (seen.has(c.plan.customerId))
      throw new PcplanError("SAVED_PLAN", `${file}: not a valid saved plan: customer ${c.plan.customerId} is listed more than once`);
    seen.add(c.plan.customerId);
  }
  return saved;
}

function digest(value: unknown): string {
  return "sha256:" + createHash("sha256").update(canonicalJson(value)).digest("hex");
}

/** JSON with object keys sorted, so the digest does not depend on key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    isRecord(v) && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}
