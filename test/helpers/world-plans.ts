/**
 * Plans for a generated sandbox world (`generateWorld`), shared by `npm run bench` and the
 * fault soak: every customer that holds the Skype for Business Online (Plan 1) offer (active,
 * partly migrated or already migrated) moves MCOIMP → DESKLESSPACK, plus a few customers
 * without Skype, which the engine must read and leave alone. Written as several plan files
 * so each stays far below the 1 MiB plan-file limit.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SandboxFixture } from "../../src/sandbox/index.js";

export interface WorldPlansOptions {
  /** Customers per plan file. Default 500. */
  perFile?: number;
  /** Customers without the source also listed (they must get no actions). Default 3. */
  withoutSource?: number;
  /** The first user of every Nth planned customer is excluded. Default 0 (none). */
  excludeEvery?: number;
}

export interface WorldPlans {
  files: string[];
  /** Planned customer ids, lowercase, in plan order. */
  customerIds: string[];
  /** Excluded user principal names, lowercase. */
  excluded: Set<string>;
}

/** SKU and offer ids of the demo catalog the generated worlds share. */
export function worldSkus(world: Pick<SandboxFixture, "skus" | "offers">): { source: string; target: string; sourceOffers: Set<string> } {
  const sku = (part: string) => {
    const s = world.skus.find((k) => k.skuPartNumber === part);
    if (!s) throw new Error(`world lacks SKU ${part}`);
    return s.id.toLowerCase();
  };
  const source = sku("MCOIMP");
  const target = sku("DESKLESSPACK");
  const sourceOffers = new Set(world.offers.filter((o) => o.skuId.toLowerCase() === source).map((o) => o.id.toLowerCase()));
  return { source, target, sourceOffers };
}

export async function writeWorldPlans(world: SandboxFixture, dir: string, opts: WorldPlansOptions = {}): Promise<WorldPlans> {
  const perFile = opts.perFile ?? 500;
  const { sourceOffers } = worldSkus(world);
  const holdsSource = (c: SandboxFixture["customers"][number]) => c.subscriptions.some((s) => sourceOffers.has(s.offerId.toLowerCase()));
  const planned = [...world.customers.filter(holdsSource), ...world.customers.filter((c) => !holdsSource(c)).slice(0, opts.withoutSource ?? 3)];
  const excluded = new Set<string>();
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (let f = 0; f * perFile < planned.length; f++) {
    const chunk = planned.slice(f * perFile, (f + 1) * perFile);
    const lines = chunk.map((c, i) => {
      const n = f * perFile + i;
      const first = c.users[0];
      let entry = `    - id: ${c.id}\n      name: ${JSON.stringify(c.companyName)}`;
      if (opts.excludeEvery && n % opts.excludeEvery === 0 && first) {
        excluded.add(first.userPrincipalName.toLowerCase());
        entry += `\n      exclude: [${first.userPrincipalName}]`;
      }
      return entry;
    });
    const file = join(dir, `world-${String(f).padStart(2, "0")}.yaml`);
    await writeFile(
      file,
      `apiVersion: pcplan/v1
kind: MigrationPlan
metadata:
  name: world-${f}
  description: Generated for a synthetic sandbox world.
spec:
  source: { sku: MCOIMP }
  target: { sku: DESKLESSPACK }
  customers:
${lines.join("\n")}
  suspendSource: true
  seats: users
`,
    );
    files.push(file);
  }
  return { files, customerIds: planned.map((c) => c.id.toLowerCase()), excluded };
}
