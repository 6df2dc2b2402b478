/**
 * pcplan compiles its schemas without checking them against JSON Schema 2020-12's own
 * (`validateSchema: false`, src/http/validate.ts and src/util/ajv.ts: that check compiles the
 * meta-schema at every process start). This test is that check, for every schema pcplan compiles:
 * the answers of Partner Center and Graph, the plan file's and the saved plan's.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { GRAPH_SCHEMAS } from "../../src/graph/response-schemas.js";
import { RESPONSE_CHECKS } from "../../src/partner-center/response-schemas.js";
import { SAVED_PLAN_SHAPE } from "../../src/saved-plan/check-shape.js";

const metaChecker = () => {
  const ajv = new Ajv2020({ strict: true });
  // pcplan's own keywords: their values are checked by ajv when the schema compiles.
  for (const keyword of ["enumCi", "dropNull", "errorMessage", "patternErrorMessage"]) ajv.addKeyword({ keyword });
  return (schema: object): string[] => (ajv.validateSchema(schema) ? [] : (ajv.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`));
};

const planSchema = JSON.parse(readFileSync(join(import.meta.dirname, "../../schemas/plan.schema.json"), "utf8")) as object;

describe("every schema pcplan compiles is valid JSON Schema 2020-12", () => {
  const problems = metaChecker();
  it.each(Object.entries(RESPONSE_CHECKS))("Partner Center's %s answer", (_name, check) => {
    expect(problems("each" in check ? check.each.json : check.one.json)).toEqual([]);
  });
  it.each(Object.entries(GRAPH_SCHEMAS))("Graph's %s answer", (_name, schema) => {
    expect(problems(schema.json)).toEqual([]);
  });
  it("the plan file's and the saved plan's", () => {
    expect(problems(planSchema)).toEqual([]);
    expect(problems(SAVED_PLAN_SHAPE.json)).toEqual([]);
  });
  it("the check itself refuses a malformed schema", () => {
    expect(problems({ type: "object", required: "id" })).not.toEqual([]);
    expect(problems({ type: "strng" })).not.toEqual([]);
  });
});
