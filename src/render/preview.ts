/**
 * The one path from a computed plan to what `plan`, `apply` and `show` print: a table of
 * renderers by format, chosen in one place. Each renderer is a pure function to a string.
 */
import type { CustomerPlan, LiveCustomer } from "../reconcile/types.js";
import { jsonChunks, renderJson } from "./json.js";
import { renderLicenseDiff } from "./license-diff.js";
import { MARKDOWN_LIMIT, renderMarkdown } from "./markdown.js";
import { renderText } from "./text.js";
import type { PreviewFormat } from "./formats.js";

export { PREVIEW_FORMATS, type PreviewFormat } from "./formats.js";

export interface PreviewInput {
  customers: readonly CustomerPlan[];
  now: string;
  color: boolean;
  /** `--diff`: the licence state before → after, where the live state is at hand. */
  diffOf?: ReadonlyMap<string, LiveCustomer>;
  /** Markdown: the characters the preview may take (GitHub's comment limit, less any wrapper). */
  markdownLimit?: number;
}

const RENDERERS: Record<PreviewFormat, (input: PreviewInput) => string> = {
  text(input) {
    const diff = input.diffOf ? renderLicenseDiff(input.customers, input.diffOf) : "";
    return renderText(input.customers, input) + (diff ? `\n${diff}` : "");
  },
  markdown(input) {
    const limit = input.markdownLimit ?? MARKDOWN_LIMIT;
    const md = renderMarkdown(input.customers, { now: input.now, limit });
    if (!input.diffOf) return md;
    // The diff gets what the preview left of the limit, cut at a line, never past it.
    const open = "\n<details><summary>License diff</summary>\n\n```diff\n";
    const close = "```\n\n</details>\n";
    const cut = "… license diff cut here to stay under GitHub's limit\n";
    const room = limit - md.length - open.length - close.length - cut.length;
    const diff = renderLicenseDiff(input.customers, input.diffOf).replace(/`/g, "'");
    if (!diff || room <= 0) return md;
    const kept = diff.length <= room ? diff : diff.slice(0, diff.lastIndexOf("\n", room) + 1) + cut;
    return md + open + kept + close;
  },
  json: (input) => renderJson(input.customers),
};

export function renderPreview(format: PreviewFormat, input: PreviewInput): string {
  return RENDERERS[format](input);
}

/** The preview in pieces to write as they come: JSON a customer at a time (it can be large), the others whole. */
export function previewChunks(format: PreviewFormat, input: PreviewInput): Iterable<string> {
  return format === "json" ? jsonChunks(input.customers) : [renderPreview(format, input)];
}
