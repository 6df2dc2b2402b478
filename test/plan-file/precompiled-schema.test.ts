import { mkdtemp, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PLAN_SCHEMA } from "../../src/plan-file/index.js";
import { parseYaml } from "../../src/plan-file/parse-yaml.js";
import { planValidatorModule } from "../../src/plan-file/precompile.js";
import { PRECOMPILED_FILE, planSchemaHash, usablePrecompiled } from "../../src/plan-file/schema-validator.js";
import { REPO } from "../helpers/cli.js";
import { createAjv, type ValidateFunction } from "../../src/util/ajv.js";

/**
 * The build's precompiled plan validator (src/plan-file/precompile.ts, loaded by the built CLI)
 * against the schema compiled at run time (what the in-process tests use): the same verdict and
 * the same errors, to the field, for every plan this repository holds, good and bad.
 */
async function precompiled(): Promise<ValidateFunction> {
  // The module as Node runs it: a CommonJS file, its requires (ajv's runtime helpers) resolved
  // from a node_modules beside it, as in dist/.
  const dir = await mkdtemp(join(tmpdir(), "pcplan-precompiled-"));
  await symlink(join(REPO, "node_modules"), join(dir, "node_modules"));
  const file = join(dir, PRECOMPILED_FILE);
  await writeFile(file, planValidatorModule());
  return createRequire(file)(file) as ValidateFunction;
}

async function documents(dir: string): Promise<{ name: string; value: unknown }[]> {
  const out: { name: string; value: unknown }[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith(".yaml")).sort()) {
    // As loadPlans reads them: a document YAML itself refuses (an alias bomb) never reaches the schema.
    for (const [i, doc] of parseYaml(await readFile(join(dir, name), "utf8")).documents.entries())
      if (doc) out.push({ name: `${name}#${i}`, value: doc.value });
  }
  return out;
}

describe("the precompiled plan validator", () => {
  it("gives the verdict and the errors of the schema compiled at run time, for every plan here", async () => {
    const fresh = createAjv({ allErrors: true }).compile(PLAN_SCHEMA);
    const built = await precompiled();
    const here = join(REPO, "test/plan-file");
    const all = [
      ...(await documents(join(here, "../../plans"))),
      ...(await documents(join(here, "bad"))),
      ...(await documents(join(here, "cross"))),
      ...(await documents(join(here, "warn"))),
    ];
    let invalid = 0;
    for (const { name, value } of all) {
      const verdict = fresh(value);
      expect(built(value), name).toBe(verdict);
      expect(built.errors ?? null, name).toEqual(fresh.errors ?? null);
      if (!verdict) invalid++;
    }
    // The corpus reaches the schema with both kinds of document.
    expect(invalid).toBeGreaterThan(10);
    expect(all.length - invalid).toBeGreaterThan(5);
  });

  it("is used only when it was built from this very schema", async () => {
    const built = await precompiled();
    expect((built as unknown as { schemaHash: string }).schemaHash).toBe(planSchemaHash());
    expect(usablePrecompiled(built)).toBe(built);
    const stale = Object.assign(() => true, { schemaHash: "0".repeat(64) });
    expect(usablePrecompiled(stale)).toBeUndefined();
    expect(usablePrecompiled({ schemaHash: planSchemaHash() })).toBeUndefined();
    expect(usablePrecompiled(undefined)).toBeUndefined();
  });
});
