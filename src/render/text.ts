import { styleText } from "node:util";
import { summarize, summaryLine } from "../reconcile/summary.js";
import type { CustomerPlan } from "../reconcile/types.js";
import {
  accessLine,
  customerHeading,
  unverifiedAccessLine,
  describeAction,
  describeNote,
  markerOf,
  planLine,
  shown,
  unchangedLine,
  type PreviewContext,
} from "./describe.js";

type Style = Parameters<typeof styleText>[0];

export interface TextOptions extends PreviewContext {
  color: boolean;
}

/** The human preview: most urgent customer first, markers + ~ - », the unchanged ones in one line, the summary. */
export function renderText(customers: readonly CustomerPlan[], opts: TextOptions): string {
  // The CLI decides colour (TTY, NO_COLOR, FORCE_COLOR); styleText must not second-guess it.
  const paint = (style: Style, s: string) => (opts.color ? styleText(style, s, { validateStream: false }) : s);
  const markerStyle: Record<string, Style> = { "+": "green", "~": "yellow", "-": "red", "»": "cyan" };
  const lines: string[] = [];
  for (const c of shown(customers)) {
    lines.push(paint("bold", customerHeading(c)));
    lines.push(`  ${paint("dim", planLine(c))}`);
    const access = accessLine(c);
    if (access) lines.push(`  ${paint("dim", access)}`);
    for (const a of c.actions) {
      const m = markerOf(a);
      lines.push(`  ${paint(markerStyle[m] ?? "reset", m)} ${describeAction(a, opts)}`);
    }
    for (const n of c.notes) {
      const style: Style = n.level === "error" ? "red" : n.level === "warning" ? "yellow" : "dim";
      lines.push(`  ${paint(style, "!")} ${paint(style, describeNote(n))}`);
    }
    lines.push("");
  }
  const quiet = unchangedLine(customers);
  if (quiet) lines.push(paint("dim", quiet), "");
  const unverified = unverifiedAccessLine(customers);
  if (unverified) lines.push(paint("dim", unverified), "");
  lines.push(paint("bold", summaryLine(summarize(customers))));
  return lines.join("\n") + "\n";
}
