/**
 * What `plan` shows, one view per `--format`: the preview on stdout (text, markdown, JSON, each
 * through render/preview.ts, shared with `show` and `apply`), or the HTML page written to `--out`.
 */
import type { ComputedPlan } from "../../engine/compute-plan.js";
import type { MigrationPlan } from "../../plan-file/types.js";
import { renderPlanHtml, type ReportMeta } from "../../render/html/index.js";
import { previewChunks, renderPreview } from "../../render/preview.js";
import type { PreviewFormat } from "../../render/formats.js";
import { computeStatus } from "../../status/index.js";
import type { Io } from "../io.js";
import type { PlanFormat } from "./formats.js";
import { deliver } from "./output.js";
import type { CostReport } from "../../costs/compute-costs.js";
import { renderCostsMarkdown, renderCostsText } from "../../costs/render-costs.js";

export { PLAN_FORMATS, type PlanFormat } from "./formats.js";

export interface PlanViewInput {
  plans: readonly MigrationPlan[];
  computed: ComputedPlan;
  now: string;
  /** `--diff`: each changed customer's licences before → after. */
  diff: boolean;
  markdownLimit: number;
  meta: ReportMeta;
  /** What the plan costs (`--prices`); absent without a price list. */
  costs?: CostReport;
}

export interface PlanView {
  /** A page (HTML): written to `--out`, which it needs; then `--out` is not a saved plan. */
  readonly page: boolean;
  show(input: PlanViewInput, out: string | undefined): Promise<void>;
  /** The saved plan was written to `path`. */
  saved(path: string): void;
}

export function planView(format: PlanFormat, io: Io): PlanView {
  return format === "html" ? htmlView(io) : previewView(format, io);
}

function previewView(format: PreviewFormat, io: Io): PlanView {
  return {
    page: false,
    show: (input) => {
      const { customers, live } = input.computed;
      const diffOf = input.diff ? { diffOf: live.customers } : {};
      const preview = { customers, now: input.now, color: io.color, markdownLimit: input.markdownLimit, ...diffOf };
      // Costs join the JSON document as a member: then it is rendered whole (withCosts).
      if (input.costs && format === "json") io.out(withCosts(format, renderPreview(format, preview), input.costs));
      else if (input.costs && format === "markdown") {
        // The PR comment's room (--markdown-limit) holds the preview and its costs together.
        const text = renderPreview(format, preview);
        io.out(`${text}\n${renderCostsMarkdown(input.costs, input.markdownLimit - text.length - 1)}`);
      } else {
        // Written as it goes: a large world's JSON is never one string (io.out writes through to the stream).
        for (const chunk of previewChunks(format, preview)) io.out(chunk);
        if (input.costs) io.out(withCosts(format, "", input.costs));
      }
      return Promise.resolve();
    },
    // JSON keeps stdout and stderr free of prose a script would have to skip.
    saved: (path) => (format === "json" ? undefined : io.err(`Saved plan to ${path}. Apply it with: pcplan apply ${path}\n`)),
  };
}

function htmlView(io: Io): PlanView {
  return {
    page: true,
    show: (input, out) => {
      const { customers, live } = input.computed;
      const html = renderPlanHtml(computeStatus(input.plans, customers, live, { now: input.now }), customers, input.meta, input.costs);
      return deliver(io, html, out, "the plan preview");
    },
    saved: () => undefined,
  };
}

/** The cost section after the preview (text, markdown), or a `costs` member of the JSON; nothing without prices. */
function withCosts(format: PreviewFormat, preview: string, costs: CostReport | undefined): string {
  if (!costs) return preview;
  if (format === "json") return JSON.stringify({ ...(JSON.parse(preview) as object), costs }, null, 2) + "\n";
  return `${preview}\n${format === "markdown" ? renderCostsMarkdown(costs) : renderCostsText(costs)}`;
}
