/** Writes the precompiled plan validator into dist/ (src/plan-file/precompile.ts). Run by `npm run build`, after tsc. */
import { writeFileSync } from "node:fs";
import { planValidatorModule } from "../src/plan-file/precompile.js";
import { PRECOMPILED_FILE } from "../src/plan-file/schema-validator.js";

writeFileSync(new URL(`../dist/plan-file/${PRECOMPILED_FILE}`, import.meta.url), planValidatorModule());
