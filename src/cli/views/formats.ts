import { PREVIEW_FORMATS } from "../../render/formats.js";

/** `plan --format`: the previews, and the HTML page (written to `--out`). Apart from the views, so `plan --help` loads no renderer. */
export const PLAN_FORMATS = [...PREVIEW_FORMATS, "html"] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];
