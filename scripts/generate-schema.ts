/** Writes schemas/plan.schema.json from src/plan-file/plan-schema.ts (the source of truth). Run: npx tsx scripts/generate-schema.ts */
import { writeFileSync } from "node:fs";
import { planSchemaJson } from "../src/plan-file/plan-schema.js";

const out = new URL("../schemas/plan.schema.json", import.meta.url);
writeFileSync(out, planSchemaJson());
process.stdout.write(`wrote ${out.pathname}\n`);
