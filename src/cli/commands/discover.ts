import { InvalidArgumentError, Option, type Command } from "commander";
import { loadCatalog, type CatalogSku, type ServicePlan } from "../../catalog/index.js";
import { findSourceHolders, planNameFor, renderPlanSkeleton, selectAndSort, type DiscoveredCustomer } from "../../discover/index.js";
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
}

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
        "Reads every customer's subscriptions and subscribed SKUs and writes a valid plan listing the customers that hold the source SKU (an active subscription of it, or users on it), soonest end date first, each with a comment: name, users on the source, subscription end date and days left. Retiring subscriptions are the ones with autoRenewEnabled = false. Writes nothing to Partner Center.",
      )
      .requiredOption("--source <sku>", "the retiring SKU (skuPartNumber or skuId), e.g. MCOIMP")
      .option("--target <sku>", "the default target SKU written into the plan", "DESKLESSPACK")
      .addOption(new Option("--name <name>", "metadata.name of the plan (default retire-<source>)").argParser(slugOption))
      .addOption(
        new Option("--expiring-within <days>", "only customers whose retiring subscription ends within this many days (or has ended)").argParser(intOption(0)),
      )
      .option("--out <file>", "write the plan to this file (default: stdout); an existing file is kept unless --force")
      .option("--force", "with --out: replace an existing file"),
  )
    .addHelpText(
      "after",
      examples(
        "pcplan discover --sandbox --source MCOIMP",
        "pcplan discover --source MCOIMP --target M365_F1 --expiring-within 90 --out plans/retire-mcoimp.yaml",
      ),
    )
    .action(handler(ctx, (flags: DiscoverFlags) => runDiscover(io, flags)));
}

async function runDiscover(io: Io, flags: DiscoverFlags): Promise<ExitCode> {
  const source = resolveSku(flags.source, "--source");
  const target = resolveSku(flags.target, "--target");
  if (source.skuId === target.skuId) throw new PcplanError("SAME_SKU", `--source and --target are the same SKU (${source.skuPartNumber})`);
  const missing = loadCatalog().missingFeatures(source.skuId, target.skuId);
  if (missing.length > 0) io.err(`warning: ${featureLossWarning(target, source, missing)}\n`);
  // Refuse an unusable --out before spending minutes reading Partner Center.
  const out: WriteOutputFileOptions = { option: "--out", overwrite: flags.force === true, overwriteHint: "pass --force to replace it" };
  if (flags.out) await checkOutputPath(flags.out, out);
  const now = flags.now ?? new Date().toISOString();
  const found = await readHolders(io, flags, source);
  const entries = selectAndSort(found, { now, ...(flags.expiringWithin !== undefined ? { expiringWithin: flags.expiringWithin } : {}) });
  if (entries.length === 0) {
    const filter = flags.expiringWithin !== undefined ? ` with a subscription ending within ${flags.expiringWithin} days` : "";
    io.err(`No customer holds ${source.skuPartNumber}${filter}; no plan written.\n`);
    return ExitCode.Ok;
  }
  const text = renderPlanSkeleton(found, {
    name: flags.name ?? planNameFor(source.skuPartNumber),
    source: { sku: refFor(source), displayName: source.displayName },
    target: { sku: refFor(target), displayName: target.displayName },
    now,
    warnDays: flags.warnDays,
    ...(flags.expiringWithin !== undefined ? { expiringWithin: flags.expiringWithin } : {}),
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

/** Every customer's holders of the source, read with a progress line. */
async function readHolders(io: Io, flags: DiscoverFlags, source: CatalogSku): Promise<DiscoveredCustomer[]> {
  const conn = await connectFrom(io, flags);
  const bar = io.progress("Reading customers");
  try {
    const found = await findSourceHolders(conn.api, {
      sourceSkuId: source.skuId,
      country: flags.country,
      concurrency: flags.concurrency,
      include: customerFilter(flags),
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
