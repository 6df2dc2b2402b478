import { Option, type Command } from "commander";
import { writeFileAtomic } from "../../util/write-file-atomic.js";
import { summarize, totalChanges } from "../../reconcile/summary.js";
import { renderJson } from "../../render/json.js";
import { renderLicenseDiff } from "../../render/license-diff.js";
import { ExitError } from "../../errors.js";
import { renderPlanHtml } from "../../render/html/index.js";
import { renderMarkdown } from "../../render/markdown.js";
import { computeStatus } from "../../status/index.js";
import { PCPLAN_VERSION } from "../../version.js";
import { renderText } from "../../render/text.js";
import { createSavedPlan, serializeSavedPlan } from "../../saved-plan/saved-plan.js";
import { addConnectionOptions, type ConnectionFlags } from "../options.js";
import { computeWithProgress, connectFrom, filterPlans, loadValidPlans } from "../pipeline.js";
import { useColor } from "../terminal.js";

interface PlanFlags extends ConnectionFlags {
  out?: string;
  format: "text" | "markdown" | "json" | "html";
  diff?: boolean;
  detailedExitcode?: boolean;
}

export function registerPlanCommand(program: Command): void {
  addConnectionOptions(
    program
      .command("plan")
      .summary("preview the changes the plans need against live Partner Center state")
      .description(
        "Reads live state for the customers named in the plans, diffs it against the plans and prints only the purchases, resizes, license reassignments and suspensions that are needed. Writes nothing to Partner Center.",
      )
      .argument("[paths...]", "plan files or folders", ["plans"])
      .option("--out <file>", "save the plan (actions + live-state fingerprints) for `pcplan apply FILE`; with --format html, the HTML preview")
      .addOption(new Option("--format <format>", "output format").choices(["text", "markdown", "json", "html"]).default("text"))
      .option("--diff", "also show each customer's license state before → after as a unified diff")
      .option("--detailed-exitcode", "exit 2 when changes are present (0 none, 1 error)"),
  ).action(async (paths: string[], flags: PlanFlags) => {
    if (flags.format === "html" && !flags.out) throw new ExitError(1, "--format html writes a file: give it with --out FILE");
    const loaded = await loadValidPlans(paths);
    const plans = filterPlans(loaded.plans, flags);
    const conn = await connectFrom(flags);
    try {
      const computed = await computeWithProgress(conn, plans, flags);
      const { customers, live, fingerprints } = computed;
      if (flags.format === "html" && flags.out) {
        const now = flags.now ?? new Date().toISOString();
        const meta = { generatedAt: new Date().toISOString(), plansHash: loaded.hash, version: PCPLAN_VERSION, warnDays: flags.warnDays };
        await writeFileAtomic(flags.out, renderPlanHtml(computeStatus(plans, customers, live, { now }), customers, meta));
        process.stderr.write(`Wrote the plan preview to ${flags.out}\n`);
      }
      let out =
        flags.format === "html"
          ? ""
          : flags.format === "json" ? renderJson(customers) : flags.format === "markdown" ? renderMarkdown(customers) : renderText(customers, { color: useColor() });
      if (flags.diff && flags.format !== "json" && flags.format !== "html") {
        const diff = renderLicenseDiff(customers, live.customers);
        if (diff) out += flags.format === "markdown" ? `\n<details><summary>License diff</summary>\n\n\`\`\`diff\n${diff}\`\`\`\n\n</details>\n` : `\n${diff}`;
      }
      process.stdout.write(out);
      if (flags.out && flags.format !== "html") {
        const saved = createSavedPlan({
          createdAt: new Date().toISOString(),
          now: flags.now ?? new Date().toISOString(),
          endpoint: conn.endpoint,
          plansHash: loaded.hash,
          files: loaded.files,
          plans,
          customers: customers.map((c) => ({ plan: c, fingerprint: fingerprints.get(c.customerId) ?? null })),
        });
        await writeFileAtomic(flags.out, serializeSavedPlan(saved));
        if (flags.format !== "json") process.stderr.write(`Saved plan to ${flags.out}. Apply it with: pcplan apply ${flags.out}\n`);
      }
      const summary = summarize(customers);
      if (summary.errors > 0) process.exitCode = 1;
      else if (flags.detailedExitcode && totalChanges(summary) > 0) process.exitCode = 2;
    } finally {
      await conn.close();
    }
  });
}
