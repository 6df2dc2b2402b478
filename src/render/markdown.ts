import { summarize, summaryLine } from "../reconcile/summary.js";
import type { CustomerPlan } from "../reconcile/types.js";
import {
  accessLine,
  customerHeading,
  unverifiedAccessLine,
  deadlineText,
  describeAction,
  describeNote,
  markerOf,
  shown,
  unchangedLine,
  type PreviewContext,
} from "./describe.js";
import { GITHUB_LIMIT, MARKDOWN_LIMIT } from "./formats.js";
import { inertMarkdown } from "../util/inert-text.js";

export { COMMENT_WRAPPER_ROOM, GITHUB_LIMIT, MARKDOWN_LIMIT } from "./formats.js";

export interface MarkdownOptions extends PreviewContext {
  title?: string;
  limit?: number;
}

/** PR comment / $GITHUB_STEP_SUMMARY: summary first, one <details> per customer, capped. */
export function renderMarkdown(customers: readonly CustomerPlan[], opts: MarkdownOptions): string {
  const limit = opts.limit ?? MARKDOWN_LIMIT;
  const summary = summarize(customers);
  const quiet = unchangedLine(customers);
  const unverified = unverifiedAccessLine(customers);
  const head =
    `### ${opts.title ?? "pcplan plan"}\n\n**${summaryLine(summary)}**\n\n` +
    (quiet ? `${inertMarkdown(quiet)}\n\n` : "") +
    (unverified ? `${inertMarkdown(unverified)}\n\n` : "");
  const visible = shown(customers);
  // Leave room for the truncation note however long the ids in it are.
  const budget = limit - head.length - 400;
  let body = "";
  let omitted = 0;
  for (const [i, c] of visible.entries()) {
    const block = customerBlock(c, Math.max(budget - body.length, 0), opts);
    if (block === undefined) {
      omitted = visible.length - i;
      break;
    }
    body += block;
  }
  const note =
    omitted > 0
      ? `\n> **Preview truncated:** ${omitted} more customer${omitted === 1 ? "" : "s"} with changes not shown (GitHub's ${GITHUB_LIMIT.toLocaleString("en-US")}-character limit for a comment). The full plan is in the saved plan artifact; run \`pcplan show plan.json\`.\n`
      : "";
  return head + body + note;
}

/** One customer's <details>; lines are dropped (with a note) to fit `room`, undefined if even that fails. */
function customerBlock(c: CustomerPlan, room: number, at: PreviewContext): string | undefined {
  const counts = new Map<string, number>();
  for (const a of c.actions) counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1);
  const what = [...counts].map(([k, n]) => `${n} ${k}`).join(", ") || "no changes";
  const deadline = deadlineText(c);
  const flag = c.notes.some((n) => n.level === "error") ? "⛔ " : c.notes.some((n) => n.level === "warning") ? "⚠️ " : "";
  const summary = `${flag}<b>${inertMarkdown(c.name)}</b> — ${what}${deadline ? ` · ${deadline}` : ""}`;
  const open = `<details><summary>${summary}</summary>\n\n${inertMarkdown(customerHeading(c))} · plan \`${c.planName}\`: ${c.source.skuPartNumber} → ${c.target.skuPartNumber}\n\n`;
  const access = accessLine(c);
  const notes = [...(access ? [access] : []), ...c.notes.map(describeNote)].map((n) => `- ${inertMarkdown(n)}\n`).join("");
  const close = "```\n\n</details>\n\n";
  // Inside a code block: a backtick from a server-supplied name must not close it.
  const lines = c.actions.map((a) => `${markerOf(a)} ${describeAction(a, at).replace(/`/g, "'")}\n`);
  const fixed = open + notes + (notes ? "\n" : "") + "```diff\n" + close;
  let kept = "";
  let dropped = 0;
  for (const [i, line] of lines.entries()) {
    if (fixed.length + kept.length + line.length + 80 > room) {
      dropped = lines.length - i;
      break;
    }
    kept += line;
  }
  if (dropped === lines.length && lines.length > 0) return undefined;
  const more = dropped > 0 ? `… ${dropped} more actions not shown\n` : "";
  const block = open + notes + (notes ? "\n" : "") + "```diff\n" + kept + more + close;
  return block.length <= room ? block : undefined;
}
