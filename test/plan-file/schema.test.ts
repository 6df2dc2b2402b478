import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { PLAN_SCHEMA, planSchemaJson } from "../../src/plan-file/index.js";
import { planValidator } from "../../src/plan-file/schema-validator.js";

describe("plan schema", () => {
  it("the checked-in schemas/plan.schema.json is what the code compiles (regenerate: npx tsx scripts/generate-schema.ts)", async () => {
    const onDisk = await readFile(new URL("../../schemas/plan.schema.json", import.meta.url), "utf8");
    expect(onDisk).toBe(planSchemaJson());
    expect((await planValidator()).schema).toBe(PLAN_SCHEMA);
  });

  it("describes every field, and every object is closed", () => {
    const walk = (node: Record<string, unknown>, path: string) => {
      if (node.type === "object") expect(node.additionalProperties, path).toBe(false);
      for (const [key, child] of Object.entries((node.properties as Record<string, Record<string, unknown>>) ?? {})) {
        expect(typeof child.description, `${path}.${key}`).toBe("string");
        walk(child, `${path}.${key}`);
      }
      if (node.items) walk(node.items as Record<string, unknown>, `${path}[]`);
    };
    walk(PLAN_SCHEMA, "$");
  });
});
