import { InvalidArgumentError, Option, type Command } from "commander";
import { loadCatalog, type CatalogSku, type ServicePlan } from "../../catalog/index.js";
import { findSourceHolders, planNameFor, renderPlanSkeleton, selectAndSort, type DiscoveredCustomer } from "../../discover/index.js";
import { freePlanName, leftOutLine, readPlanned, type Planned } from "../../discover/planned.js";
import { formatDiagnostic } from "../../plan-file/index.js";
import { PcplanError } from "../../errors.js";
import { checkOutputPath, writeOutputFile, type WriteOutputFileOptions } from "../../util/write-output-file.js";
import { plural } from "../../util/plural.js";
import { examples, handler, type CliContext } from "../context.js";
import type { Io } from "../io.js";
import { addConnectionOptions, intOption, type ConnectionFlags } from "../options.js";
import { ExitCode } from "../outcome.js";
import { connectFrom, customerFilter, reportTraffic } from "../pipeline.js";

interface DiscoverFlags extends ConnectionFlags {
  source: string;
  target: string;
  name?: string;
  expiringWithin?: number;
  out?: string;
  force?: boolean;
  includePlanned?: boolean;
}

/** The default of the paths argument: commander hands this very array when none is given. */
const DEFAULT_PLANS = ["plans"];

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function slugOption(value: string): string {
  if (!SLUG.test(value) || value.length > 63) {
    throw new InvalidArgumentError(`expected a lowercase slug (a-z, 0-9, single hyphens inside, at most 63 characters), got "${value}"`);
  }
  return value;
}

export function registerDiscoverCommand(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  addConnectionOptions(
    program
      .command("discover")
      .summary("write a plan skeleton listing every customer that holds a source SKU")
      .description(
        "Reads every customer's subscriptions and subscribed SKUs and writes a valid plan listing the customers that hold the source SKU (an active subscription of it, or users on it), soonest end date first, each with a comment: name, users on the source, subscription end date and days left. Retiring subscriptions are the ones with autoRenewEnabled = false. Customers already in the plan files (plans/ by default) are left out, so the new plan validates next to them. Writes nothing to Partner Center.",
      )
      .argument("[paths...]", "plan files or folders whose customers are left out (already planned)", DEFAULT_PLANS)
      .requiredOption("--source <sku>", "the retiring SKU (skuPartNumber or skuId), e.g. MCOIMP")
      .option("--target <sku>", "the default target SKU written into the plan", "DESKLESSPACK")
      .addOption(new Option("--name <name>", "metadata.name of the plan (default retire-<source>)").argParser(slugOption))
      .addOption(
        new Option("--expiring-within <days>", "only customers whose retiring subscription ends within this many days (or has ended)").argParser(intOption(0)),
      )
      .option("--out <file>", "write the plan to this file (default: stdout); an existing file is kept unless --force")
      .option("--force", "with --out: replace an existing file")
      .option("--include-planned", "list customers already in the plan files too (the plan will not validate next to them)"),
  )
    .addHelpText(
      "after",
      examples(
        "pcplan discover --sandbox --source MCOIMP          # customers holding MCOIMP that plans/ does not list yet",
        "pcplan discover --source MCOIMP --target M365_F1 --expiring-within 90 --out plans/retire-mcoimp.yaml",
      ),
    )
    .action(handler(ctx, (paths: string[], flags: DiscoverFlags) => runDiscover(io, paths, flags)));
}

async function runDiscover(io: Io, paths: string[], flags: DiscoverFlags): Promise<ExitCode> {
  const source = resolveSku(flags.source, "--source");
  const target = resolveSku(flags.target, "--target");
  if (source.skuId === target.skuId) throw new PcplanError("SAME_SKU", `--source and --target are the same SKU (${source.skuPartNumber})`);
  const missing = loadCatalog().missingFeatures(source.skuId, target.skuId);
  if (missing.length > 0) io.err(`warning: ${featureLossWarning(target, source, missing)}\n`);
  // Refuse an unusable --out before spending minutes reading Partner Center.
  const out: WriteOutputFileOptions = { option: "--out", overwrite: flags.force === true, overwriteHint: "pass --force to replace it" };
  if (flags.out) await checkOutputPath(flags.out, out);
  const planned = await alreadyPlanned(io, paths, flags);
  const name = planName(flags.name, planNameFor(source.skuPartNumber), planned.names);
  const now = flags.now ?? new Date().toISOString();
  const found = await readHolders(io, flags, source, planned);
  const entries = selectAndSort(found, { now, ...(flags.expiringWithin !== undefined ? { expiringWithin: flags.expiringWithin } : {}) });
  if (planned.ids.size > 0) io.err(`${leftOutLine(planned, paths)}\n`);
  if (entries.length === 0) {
    const filter = flags.expiringWithin !== undefined ? ` with a subscription ending within ${flags.expiringWithin} days` : "";
    const outside = planned.ids.size > 0 ? ` outside ${paths.join(", ")}` : "";
    io.err(`No customer${outside} holds ${source.skuPartNumber}${filter}; no plan written.\n`);
    return ExitCode.Ok;
  }
  const text = renderPlanSkeleton(found, {
    name,
    source: { sku: refFor(source), displayName: source.displayName },
    target: { sku: refFor(target), displayName: target.displayName },
    now,
    warnDays: flags.warnDays,
    ...(flags.expiringWithin !== undefined ? { expiringWithin: flags.expiringWithin } : {}),
    ...(planned.ids.size > 0 ? { leftOutFrom: paths.join(", ") } : {}),
    command: `pcplan discover --source ${source.skuPartNumber}${flags.expiringWithin !== undefined ? ` --expiring-within ${flags.expiringWithin}` : ""}`,
  });
  if (!flags.out) {
    io.out(text);
    return ExitCode.Ok;
  }
  await writeOutputFile(flags.out, text, out);
  const users = entries.reduce((n, e) => n + e.customer.sourceUsers, 0);
  io.err(
    `Wrote ${flags.out}: ${plural(entries.length, "customer")} holding ${source.skuPartNumber} (${plural(users, "user")}). Review it, then run: pcplan validate ${flags.out}\n`,
  );
  return ExitCode.Ok;
}

/** Every customer's holders of the source, except customers the plans already list, read with a progress line. */
async function readHolders(io: Io, flags: DiscoverFlags, source: CatalogSku, planned: Planned): Promise<DiscoveredCustomer[]> {
  const wanted = customerFilter(flags);
  const conn = await connectFrom(io, flags);
  const bar = io.progress("Reading customers");
  try {
    const found = await findSourceHolders(conn.api, {
      sourceSkuId: source.skuId,
      country: flags.country,
      concurrency: flags.concurrency,
      include: (id) => wanted(id) && !planned.ids.has(id),
      onProgress: (e) => bar.update(e.customersDone, e.customersTotal),
    });
    reportTraffic(io, conn, flags);
    return found;
  } finally {
    bar.end();
    await conn.close();
  }
}

/** "DESKLESSPACK lacks Skype for Business Online (Plan 1) (MCOIMP), a service plan of MCOIMP; …" */
export function featureLossWarning(target: CatalogSku, source: CatalogSku, missing: readonly ServicePlan[]): string {
  const names = missing.map((p) => (p.displayName && p.displayName !== p.name ? `${p.displayName} (${p.name})` : p.name)).join(", ");
  const of = missing.length === 1 ? "a service plan" : "service plans";
  return (
    `${target.skuPartNumber} lacks ${names}, ${of} of ${source.skuPartNumber}; ` +
    "validate will refuse the plan unless you add allowFeatureLoss: true or pick another --target"
  );
}

/**
 * The existing plans: their customers are left out (kept with --include-planned) and their names
 * are taken. Their problems are warned about, not fatal: the plan written is still a skeleton.
 */
async function alreadyPlanned(io: Io, paths: string[], flags: DiscoverFlags): Promise<Planned> {
  const planned = await readPlanned(paths, { defaulted: paths === DEFAULT_PLANS, ...(flags.out ? { replacing: flags.out } : {}) });
  if (flags.includePlanned) return { ...planned, ids: new Set() };
  for (const d of planned.problems) io.err(`${formatDiagnostic(d)}\n`);
  if (planned.problems.length > 0) io.err("warning: the plan files above have errors; the customers of a plan with errors are not left out\n");
  return planned;
}

/** metadata.name is unique across plans: the default takes the next free suffix; a name the user chose must be free. */
function planName(chosen: string | undefined, base: string, taken: ReadonlyMap<string, string>): string {
  if (chosen === undefined) return freePlanName(base, taken);
  const file = taken.get(chosen);
  if (file !== undefined) throw new PcplanError("PLAN_INVALID", `--name ${chosen}: ${file} already has a plan of that name; choose another`);
  return chosen;
}

/** How the plan names a SKU: its part number, or its skuId when the part number is ambiguous. */
function refFor(sku: CatalogSku): string {
  return loadCatalog().candidates(sku.skuPartNumber).length === 1 ? sku.skuPartNumber : sku.skuId;
}

function resolveSku(ref: string, flag: string): CatalogSku {
  const catalog = loadCatalog();
  const sku = catalog.resolve(ref);
  if (sku) return sku;
  const candidates = catalog.candidates(ref);
  if (candidates.length > 1) {
    throw new PcplanError(
      "AMBIGUOUS_SKU",
      `${flag} ${ref} is ambiguous: use one of the skuIds ${candidates.map((c) => `${c.skuId} (${c.displayName})`).join(", ")}`,
    );
  }
  const hint = catalog.suggest(ref);
  throw new PcplanError("UNKNOWN_SKU", `${flag} ${ref} is not a known SKU${hint ? `; did you mean ${hint}?` : ""}`);
}
