import { readFileSync } from "node:fs";

/** The version in package.json, resolved from this module so it works from src/ and dist/. */
export const PCPLAN_VERSION: string = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
