/** What `pcplan plan` does (registered in plan.ts, loaded when it runs). */
import { summarize, workRemains } from "../../reconcile/summary.js";
import type { ComputedPlan } from "../../engine/compute-plan.js";
import type { LoadResult } from "../../plan-file/types.js";
import { createSavedPlan, serializeSavedPlan, type SavedPlan } from "../../saved-plan/saved-plan.js";
import { writeOutputFile } from "../../util/write-output-file.js";
import type { Io } from "../io.js";
import { ExitCode } from "../outcome.js";
import { costsOf, priceContext, type PriceFlags } from "../prices.js";
import { reportMeta, reportTraffic, withPlanned } from "../pipeline.js";
import { checkOut } from "../views/output.js";
import { planView } from "../views/plan.js";
import type { ConnectionFlags } from "../options.js";
import type { PlanFormat } from "../views/formats.js";

export interface PlanFlags extends ConnectionFlags, PriceFlags {
  out?: string;
  format: PlanFormat;
  diff?: boolean;
  detailedExitcode?: boolean;
  markdownLimit: number;
}

export async function runPlan(io: Io, paths: string[], flags: PlanFlags): Promise<ExitCode> {
  const view = planView(flags.format, io);
  await checkOut(view, flags.out);
  return withPlanned(io, paths, flags, async ({ loaded, plans, now, conn, computed }) => {
    const costs = await costsOf(flags, computed.customers, computed.live, now, priceContext(conn, plans, flags.country));
    await view.show(
      { plans, computed, now, diff: flags.diff === true, markdownLimit: flags.markdownLimit, meta: reportMeta(loaded, flags), ...(costs ? { costs } : {}) },
      flags.out,
    );
    if (flags.out && !view.page) {
      await writeOutputFile(flags.out, serializeSavedPlan(savedPlanOf(computed, loaded, conn.endpoint, now)), { option: "--out" });
      view.saved(flags.out);
    }
    reportTraffic(io, conn, flags);
    const summary = summarize(computed.customers);
    if (summary.errors > 0) return ExitCode.Error;
    return flags.detailedExitcode && workRemains(summary) ? ExitCode.ChangesPresent : ExitCode.Ok;
  });
}

function savedPlanOf(computed: ComputedPlan, loaded: LoadResult, endpoint: string, now: string): SavedPlan {
  return createSavedPlan({
    createdAt: new Date().toISOString(),
    now,
    endpoint,
    plansHash: loaded.hash,
    files: loaded.files,
    customers: computed.customers.map((c) => ({ plan: c, fingerprint: computed.fingerprints.get(c.customerId) ?? null })),
  });
}
