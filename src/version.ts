import { createRequire } from "node:module";

/** pcplan's version, from package.json (one level above both src/ and dist/). */
export const PCPLAN_VERSION: string = (createRequire(import.meta.url)("../package.json") as { version: string }).version;
