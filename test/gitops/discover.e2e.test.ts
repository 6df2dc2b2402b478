/**
 * `pcplan discover` end to end on the demo world, in-process through `main`: discover → validate →
 * plan → apply → plan, --expiring-within, --out's refusals, plans already listed, service plans the
 * target lacks (the pure skeleton: discover.test.ts). The `e2e` project, out of the unit loop.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { lstat, mkdir, mkdtemp, readFile, readdir, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { tempCheckout } from "../helpers/cli.js";
import { runMain } from "../helpers/in-process.js";

const NOW = "2026-11-24T00:00:00Z";

describe("discover round trip on the demo world", () => {
  it("discover → validate → plan → apply → plan shows no changes", { timeout: 180_000 }, async () => {
    const cwd = await mkdtemp(join(tmpdir(), "pcplan-discover-"));
    const sb = ["--sandbox", "--now", NOW];
    const d = await runMain(["discover", "--source", "MCOIMP", "--out", "plans/skype.yaml", ...sb], { cwd });
    expect(d.code, d.stderr).toBe(0);
    expect(d.stderr).toContain("Wrote plans/skype.yaml: 8 customers holding MCOIMP (40 users)");
    const text = await readFile(join(cwd, "plans/skype.yaml"), "utf8");
    // Every customer holding MCOIMP (Proseware too, in no plan yet), none that does not
    // (Northwind: suspended and migrated; Tailspin: MCOIMP_GOV), soonest end first.
    const comments = text.split("\n").filter((l) => l.startsWith("    # "));
    expect(comments).toEqual([
      "    # Woodgrove Bank — 4 users on MCOIMP — ends 2026-12-15 (21 days) — autoRenew off — ENDS SOON",
      "    # Adventure Works — 6 users on MCOIMP — ends 2027-01-31 (68 days) — autoRenew off",
      "    # Fabrikam Inc — 4 users on MCOIMP — ends 2027-02-28 (96 days) — autoRenew off",
      "    # Contoso Ltd — 12 users on MCOIMP — ends 2027-03-31 (127 days) — autoRenew off",
      "    # Wide World Importers — 0 users on MCOIMP — ends 2027-03-31 (127 days) — autoRenew off",
      "    # Proseware — 2 users on MCOIMP — ends 2027-04-30 (157 days) — autoRenew off",
      "    # Lucerne Publishing — 7 users on MCOIMP — ends 2027-05-01 (158 days) — autoRenew off",
      "    # Litware Inc — 5 users on MCOIMP — ends 2027-05-31 (188 days) — autoRenew off",
    ]);

    const v = await runMain(["validate", "plans"], { cwd });
    expect(v.code, v.stdout + v.stderr).toBe(0);

    // Lucerne's Gus has no usage location: the plan names him and stops there until the plan
    // says where he is (docs/licences.md), as the reviewer of the discovered plan then does.
    const p0 = await runMain(["plan", "plans", "--customer", "4a37fa2d-f2d7-440f-8785-9faeecc3f80c", ...sb], { cwd });
    expect(p0.code, p0.stderr).toBe(1);
    expect(p0.stdout).toContain("without a usage location cannot be given DESKLESSPACK and keep MCOIMP: gus@lucernepublishing.onmicrosoft.com");
    await writeFile(join(cwd, "plans/skype.yaml"), `${text}  usageLocation: tenant\n`);

    const p1 = await runMain(["plan", "plans", "--format", "json", "--detailed-exitcode", ...sb], { cwd });
    expect(p1.code, p1.stderr).toBe(2);
    const json = JSON.parse(p1.stdout) as { customers: { name: string; actions: { kind: string }[] }[] };
    const kinds = (name: string) => json.customers.find((c) => c.name === name)?.actions.map((a) => a.kind);
    expect(kinds("Wide World Importers")).toEqual(["suspend"]);
    expect(kinds("Proseware")).toEqual(["purchase", "reassign", "reassign", "suspend"]);
    expect(kinds("Adventure Works")).toEqual([...Array<string>(6).fill("reassign"), "suspend"]);

    const s1 = await runMain(["status", "plans", "--format", "json", ...sb], { cwd });
    expect(s1.code, s1.stderr).toBe(0);
    const before = JSON.parse(s1.stdout) as { plans: { totals: { done: number; usersToMove: number; customers: number } }[] };
    expect(before.plans[0].totals).toMatchObject({ customers: 8, done: 0, usersToMove: 40 });

    const a = await runMain(["apply", "plans", "--auto-approve", ...sb], { cwd });
    expect(a.code, a.stderr).toBe(0);
    // Lucerne's: its group "Editorial" in one change, 4 reassignments (Ava's direct copy among them), the suspension.
    expect(a.stdout).toContain("Apply complete: 51 changes applied.");

    const p2 = await runMain(["plan", "plans", "--detailed-exitcode", ...sb], { cwd });
    expect(p2.code, p2.stderr).toBe(0);
    expect(p2.stdout).toContain("No changes. Live state matches the plans.");

    const s2 = await runMain(["status", "plans", ...sb], { cwd });
    expect(s2.code, s2.stderr).toBe(0);
    expect(s2.stdout).toContain("8 customers: 8 done · users: 45 on target, 0 to move");
    // Suspended by pcplan: the audit log gives the date, deprovisioning is 120 days later.
    expect(s2.stdout).toMatch(
      /done {9}Contoso Ltd \(6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a\)\n {15}users: 12 on DESKLESSPACK, 0 to move · MCOIMP suspended (\d{4}-\d\d-\d\d), deprovisioned on \d{4}-\d\d-\d\d/,
    );

    // Every holder is planned now, and nothing else holds MCOIMP: discover says so and writes nothing.
    const d2 = await runMain(["discover", "--source", "MCOIMP", "--out", "plans/again.yaml", ...sb], { cwd });
    expect(d2.code, d2.stderr).toBe(0);
    expect(d2.stderr).toContain("8 customers already in plans left out (not read; --include-planned lists them too)");
    expect(d2.stderr).toContain("No customer outside plans holds MCOIMP; no plan written.");
    const d3 = await runMain(["discover", "--source", "MCOIMP", "--include-planned", ...sb], { cwd });
    expect(d3.stderr).toContain("No customer holds MCOIMP; no plan written.");
  });

  it("--expiring-within, stdout output, and clear errors for unknown SKUs", { timeout: 120_000 }, async () => {
    const cwd = await mkdtemp(join(tmpdir(), "pcplan-discover-"));
    const sb = ["--sandbox", "--now", NOW];
    const d = await runMain(["discover", "--source", "MCOIMP", "--expiring-within", "70", "--target", "M365_F1", "--name", "urgent-skype", ...sb], { cwd });
    expect(d.code, d.stderr).toBe(0);
    const doc = parse(d.stdout) as { metadata: { name: string }; spec: { target: { sku: string }; customers: { name: string }[] } };
    expect(doc.metadata.name).toBe("urgent-skype");
    expect(doc.spec.target.sku).toBe("M365_F1");
    expect(doc.spec.customers.map((c) => c.name)).toEqual(["Woodgrove Bank", "Adventure Works"]);

    const bad = await runMain(["discover", "--source", "MCOIMPP", ...sb], { cwd });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--source MCOIMPP is not a known SKU; did you mean MCOIMP\?/);
    const slug = await runMain(["discover", "--source", "MCOIMP", "--name", "Not A Slug", ...sb], { cwd });
    expect(slug.code).toBe(1);
    expect(slug.stderr).toMatch(/lowercase slug/);
  });
  it("--out never replaces what it must not: an existing file without --force, a link, a folder, a FIFO", { timeout: 120_000 }, async () => {
    const cwd = await mkdtemp(join(tmpdir(), "pcplan-discover-"));
    const sb = ["--sandbox", "--now", NOW];
    const discover = (out: string, ...extra: string[]) => runMain(["discover", "--source", "MCOIMP", "--out", out, ...extra, ...sb], { cwd });
    await mkdir(join(cwd, "plans"));
    await writeFile(join(cwd, "plans", "skype.yaml"), "# my edited plan\n");
    await writeFile(join(cwd, "target.yaml"), "# the link's target\n");
    await symlink(join(cwd, "target.yaml"), join(cwd, "plans", "link.yaml"));
    execFileSync("mkfifo", [join(cwd, "fifo.yaml")]);

    const kept = await discover("plans/skype.yaml");
    expect(kept.code).toBe(1);
    expect(kept.stderr).toBe("error: --out plans/skype.yaml: refusing to overwrite an existing file; pass --force to replace it\n");
    expect(await readFile(join(cwd, "plans", "skype.yaml"), "utf8")).toBe("# my edited plan\n");

    for (const [out, why] of [
      ["plans/link.yaml", "it is a symbolic link to"],
      ["plans", "it is a directory, not a regular file"],
      ["fifo.yaml", "it is a named pipe (FIFO), not a regular file"],
    ]) {
      const r = await discover(out, "--force");
      expect(r.code, out).toBe(1);
      expect(r.stderr, out).toContain(`error: --out ${out}: refusing to write: ${why}`);
      expect(r.stderr, out).not.toMatch(/internal error|\n\s+at /);
    }
    expect(await readFile(join(cwd, "target.yaml"), "utf8")).toBe("# the link's target\n");
    expect((await lstat(join(cwd, "plans", "link.yaml"))).isSymbolicLink()).toBe(true);
    expect((await lstat(join(cwd, "fifo.yaml"))).isFIFO()).toBe(true);
    // Refused before reading Partner Center: no sandbox state was even created.
    expect(existsSync(join(cwd, ".pcplan"))).toBe(false);
    expect((await readdir(join(cwd, "plans"))).sort()).toEqual(["link.yaml", "skype.yaml"]);

    const forced = await discover("plans/skype.yaml", "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect(await readFile(join(cwd, "plans", "skype.yaml"), "utf8")).toMatch(/^# yaml-language-server/);
  });

  it("leaves out the customers the plans already list, so its plan validates next to them", { timeout: 120_000 }, async () => {
    // The repository's plans: of the customers holding MCOIMP only Proseware is in none of them.
    const cwd = await tempCheckout();
    const sb = ["--sandbox", "--now", NOW];
    const d = await runMain(["discover", "--source", "MCOIMP", "--out", "plans/skype.yaml", ...sb], { cwd });
    expect(d.code, d.stderr).toBe(0);
    expect(d.stderr).toMatch(/^\d+ customers already in plans left out \(not read; --include-planned lists them too\)$/m);
    expect(d.stderr).toContain("Wrote plans/skype.yaml: 1 customer holding MCOIMP (2 users)");
    const text = await readFile(join(cwd, "plans/skype.yaml"), "utf8");
    expect(text).toContain("# 1 customer outside plans holds MCOIMP, soonest end date first");
    expect((parse(text) as { spec: { customers: { name: string }[] } }).spec.customers.map((c) => c.name)).toEqual(["Proseware"]);
    const v = await runMain(["validate", "plans"], { cwd });
    expect(v.code, v.stdout + v.stderr).toBe(0);

    // Replacing that file with --force discovers its own customers again rather than leaving them out.
    const again = await runMain(["discover", "--source", "MCOIMP", "--out", "plans/skype.yaml", "--force", ...sb], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("Wrote plans/skype.yaml: 1 customer holding MCOIMP");

    // A second plan next to it takes the next free name; a chosen name already in use is refused.
    const second = await runMain(["discover", "--source", "MCOIMP", "--include-planned", ...sb], { cwd });
    expect((parse(second.stdout) as { metadata: { name: string } }).metadata.name).toBe("retire-mcoimp-2");
    const taken = await runMain(["discover", "--source", "MCOIMP", "--name", "office365-f1", ...sb], { cwd });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain("error: --name office365-f1: plans/office365-f1.yaml already has a plan of that name; choose another");

    // --include-planned lists everyone holding MCOIMP: that plan does not validate next to the others.
    const all = await runMain(["discover", "--source", "MCOIMP", "--include-planned", "--out", "plans/all.yaml", ...sb], { cwd });
    expect(all.stderr).toContain("Wrote plans/all.yaml: 8 customers holding MCOIMP");
    const refused = await runMain(["validate", "plans"], { cwd });
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/duplicate-customer|listed in two plans|already in plan/);

    // Plans named explicitly must exist.
    const missing = await runMain(["discover", "elsewhere", "--source", "MCOIMP", ...sb], { cwd });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("error: elsewhere: no such plan file or folder");
  });

  it("warns in words which service plans the target lacks", { timeout: 120_000 }, async () => {
    const cwd = await mkdtemp(join(tmpdir(), "pcplan-discover-"));
    // Refused at --out, so the warning is all it prints before stopping.
    await writeFile(join(cwd, "x.yaml"), "");
    const r = await runMain(["discover", "--source", "MCOIMP", "--target", "EXCHANGESTANDARD", "--out", "x.yaml", "--sandbox"], { cwd });
    expect(r.stderr.split("\n")[0]).toBe(
      "warning: EXCHANGESTANDARD lacks Skype for Business Online (Plan 1) (MCOIMP), a service plan of MCOIMP; validate will refuse the plan unless you add allowFeatureLoss: true or pick another --target",
    );
  });
});
