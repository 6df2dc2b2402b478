/**
 * The field table of docs/plan-files.md lists every field of schemas/plan.schema.json, in the
 * schema's order, with the same required-ness; and docs/json-format.md gives the saved plan's
 * format version. Both are what a reader copies from: they must not drift from the code.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SAVED_PLAN_VERSION } from "../../src/saved-plan/saved-plan.js";
import { REPO } from "../helpers/cli.js";

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
}

/** Every property path of the schema (`spec.customers[].id`), each with whether its object requires it. */
function schemaFields(node: SchemaNode, prefix = ""): [string, boolean][] {
  return Object.entries(node.properties ?? {}).flatMap(([key, child]): [string, boolean][] => {
    const path = prefix ? `${prefix}.${key}` : key;
    const required = node.required?.includes(key) ?? false;
    const inner = child.type === "array" && child.items ? schemaFields(child.items, `${path}[]`) : schemaFields(child, path);
    return [[path, required], ...inner];
  });
}

/** The rows of the table under "## Fields": field path and whether its "required" cell says yes. */
function documentedFields(markdown: string): [string, boolean][] {
  const section = markdown.slice(markdown.indexOf("## Fields"), markdown.indexOf("\n## ", markdown.indexOf("## Fields") + 1));
  return [...section.matchAll(/^\| `([^`]+)` \| ([^|]+) \|/gm)].map((m) => [m[1] ?? "", (m[2] ?? "").trim().startsWith("yes")]);
}

describe("the docs of the formats", () => {
  it("docs/plan-files.md's field table lists every field the plan schema has, in its order, required where the schema requires it", () => {
    const schema = JSON.parse(readFileSync(join(REPO, "schemas/plan.schema.json"), "utf8")) as SchemaNode;
    const fields = schemaFields(schema);
    expect(fields.map(([p]) => p)).toEqual(expect.arrayContaining(["spec.purchase", "spec.decommission", "spec.strategy", "spec.customers[].purchase.term"]));
    expect(documentedFields(readFileSync(join(REPO, "docs/plan-files.md"), "utf8"))).toEqual(fields);
  });

  it("docs/json-format.md gives the saved plan's format version", () => {
    const doc = readFileSync(join(REPO, "docs/json-format.md"), "utf8");
    const said = [...doc.matchAll(/saved-plan"`,\s*`formatVersion: (\d+)`/g)].map((m) => Number(m[1]));
    expect(said).toEqual([SAVED_PLAN_VERSION]);
  });
});
