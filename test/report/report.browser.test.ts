/**
 * The HTML status report of the demo world after a partial apply, as a person sees it in a real
 * headless Chromium (Debian's, driven by playwright-core): rows, progress counts, the timeline,
 * a hostile customer name, no request leaving the page, no console error, phone and desktop widths.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../src/util/dates.js";
import { DEMO_FIXTURE_PATH, SANDBOX_TOKENS, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { suspensionsFromAudit } from "../../src/status/index.js";
import { REPO, partnerCenterCheckout, tempCheckout } from "../helpers/cli.js";
import { runMain } from "../helpers/in-process.js";
import { CHROMIUM, HAVE_CHROMIUM, launchChromium, openReport } from "./chromium.js";
import { drawnMarkers, overlapping, skusShown, skuWordsBroken } from "./page-checks.js";

const NOW = "2026-11-24T00:00:00Z";
/** The demo world's planned customers (docs/demo-world.md), by their names in the fixture; ids are looked up. */
const NAMES = {
  contoso: "Contoso Ltd",
  fabrikam: "Fabrikam Inc",
  northwind: "Northwind Traders",
  tailspin: "Tailspin County",
  woodgrove: "Woodgrove Bank",
  adventure: "Adventure Works",
  litware: "Litware Inc",
  wideworld: "Wide World Importers",
  alpine: "Alpine Ski House",
  coho: "Coho Winery",
  fourth: "Fourth Coffee",
  lamna: "Lamna Healthcare",
  margies: "Margie's Travel",
  relecloud: "Relecloud",
  tailwind: "Tailwind Traders",
};
/** Litware's name as Partner Center returns it in the fixture copy; the plan copy names it not, so this is what shows. */
const HOSTILE = `Litware <script>window.__pwned = 1</script><img src="https://evil.example/x.png" onerror="window.__pwned = 2"> Inc`;

/** docs/demo-world.md after `apply --customer <Adventure Works>`: [customers legend, users legend] per plan. */
const PROGRESS: Record<string, [string[], string[]]> = {
  "government-f3": [["1 not started"], ["3 to move"]],
  "microsoft365-f1": [["1 in progress"], ["2 on target", "3 to move", "1 excluded"]],
  "office365-e1": [["1 not started"], ["5 to move"]],
  "office365-f1": [
    ["2 done", "3 not started"],
    ["16 on target", "16 to move"],
  ],
  "business-basic-to-standard": [
    ["1 in progress", "6 not started"],
    ["51 to move", "1 excluded"],
  ],
};

/** The browser's getComputedStyle, typed for the one use here (the tests have no DOM types). */
interface StyleReader {
  getComputedStyle(e: unknown): { fontSize: string };
}

const skip = HAVE_CHROMIUM ? "" : ` — SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run installs it)`;
if (skip) process.stderr.write(`report.browser.test.ts${skip}\n`);

const C = Object.fromEntries(Object.keys(NAMES).map((k) => [k, ""])) as Record<keyof typeof NAMES, string>;

describe.skipIf(!HAVE_CHROMIUM)(`the HTML status report in headless Chromium${skip}`, () => {
  let sandbox: SandboxHandle;
  let browser: Browser;
  let cwd: string;
  let report: string;
  let planPage: string;
  let statusTotals: { name: string; totals: Record<string, number> }[];
  let planJson: { customers: { plan: string; actions: { kind: string; quantity?: number; from?: number; to?: number }[] }[] };
  let adventureDeprovision: string;
  // pcplan writes the reports in this process (test/helpers/in-process.ts): the page is under test here, not the process.
  const cli = (args: string[]) => runMain([...args, "--endpoint", sandbox.url, "--now", NOW], { cwd, env: { PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin } });

  beforeAll(async () => {
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    for (const [key, name] of Object.entries(NAMES) as [keyof typeof NAMES, string][]) {
      const id = fixture.customers.find((c) => c.companyName === name)?.id;
      if (!id) throw new Error(`demo world lacks ${name}`);
      C[key] = id.toLowerCase();
    }
    const litware = fixture.customers.find((c) => c.id === C.litware);
    if (!litware) throw new Error("demo world lacks Litware");
    litware.companyName = HOSTILE;
    sandbox = await startSandbox({ fixture, port: 0, clock: NOW });
    // A Partner Center token: Lucerne's group plan is left out (test/helpers/cli.ts).
    cwd = await partnerCenterCheckout();
    const planFile = join(cwd, "plans/office365-e1.yaml");
    await writeFile(planFile, (await readFile(planFile, "utf8")).replace(/^\s+name: Litware Inc.*\n/m, ""));

    const applied = await cli(["apply", "--auto-approve", "--customer", C.adventure]);
    expect(applied.code, applied.stderr).toBe(0);
    const status = await cli(["status", "--format", "html", "--out", "status.html"]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toBe("");
    report = await readFile(join(cwd, "status.html"), "utf8");
    const planned = await cli(["plan", "--format", "html", "--out", "plan.html"]);
    expect(planned.code, planned.stderr).toBe(0);
    planPage = await readFile(join(cwd, "plan.html"), "utf8");
    const statusJson = await cli(["status", "--format", "json"]);
    statusTotals = (JSON.parse(statusJson.stdout) as { plans: { name: string; totals: Record<string, number> }[] }).plans;
    planJson = JSON.parse((await cli(["plan", "--format", "json"])).stdout) as typeof planJson;
    const suspended = [...suspensionsFromAudit(await readFile(join(cwd, ".pcplan/audit.jsonl"), "utf8")).values()];
    expect(suspended).toHaveLength(1);
    adventureDeprovision = addDays(suspended[0] ?? "", 120);
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  const rowOf = (page: Page, id: string) => page.locator("table.customers tbody tr", { hasText: id });

  it("shows a row for every planned customer, with its state and last change", async () => {
    const { page, leaks, errors } = await openReport(browser, report, { width: 1280 });
    await expect.poll(() => page.locator("table.customers tbody tr").count()).toBe(Object.keys(C).length);
    for (const id of Object.values(C)) expect(await rowOf(page, id).isVisible(), id).toBe(true);
    const adventure = rowOf(page, C.adventure);
    expect(await adventure.locator("td[data-label=State]").innerText()).toContain("done");
    expect(await adventure.locator("td[data-label='Last change']").innerText()).toMatch(/suspend\s+✓ ok/);
    expect(await adventure.locator("td[data-label=Source]").innerText()).toContain(`deprovisioned ${adventureDeprovision}`);
    // Woodgrove's term ends within --warn-days: the row says so in words.
    expect(await rowOf(page, C.woodgrove).locator("td[data-label=State]").innerText()).toContain("warning: source subscription ends 2026-12-15, in 21 days");
    expect(await rowOf(page, C.contoso).locator("td[data-label=Source]").innerText()).toContain("retire: suspend");
    expect(await rowOf(page, C.contoso).locator("td[data-label='Last change']").innerText()).toBe("none by pcplan");
    expect(await page.locator("footer").innerText()).toMatch(/Generated\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC[\s\S]*sha256 [0-9a-f]{64}[\s\S]*version 0\.1\.0/);
    expect(leaks).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("shows a customer name holding <script> and an <img> as text, and runs neither", async () => {
    const { page, leaks, errors } = await openReport(browser, report, { width: 1280 });
    const name = rowOf(page, C.litware).locator(".name");
    expect(await name.innerText()).toBe(HOSTILE);
    expect(await page.evaluate("typeof window.__pwned")).toBe("undefined");
    expect(await page.evaluate("document.scripts.length")).toBe(1);
    expect(await page.evaluate("document.images.length")).toBe(0);
    // The image would have been a request to evil.example.
    expect(leaks).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("states the counts in each plan's progress bars, and draws the segments to scale", async () => {
    const { page } = await openReport(browser, report, { width: 1280 });
    for (const [plan, [customers, users]] of Object.entries(PROGRESS)) {
      const section = page.locator("section.plan", { has: page.locator("h2", { hasText: new RegExp(`^${plan}$`) }) });
      const bars = section.locator(".progress");
      const legend = async (i: number) => (await bars.nth(i).locator(".legend li").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
      expect(await legend(0), plan).toEqual(customers);
      expect(await legend(1), plan).toEqual(users);
      for (const [i, legend] of [customers, users].entries()) {
        const counts = legend.map((l) => Number(l.split(" ")[0]));
        const total = counts.reduce((a, b) => a + b, 0);
        const full = (await bars.nth(i).locator("svg.bar").boundingBox())?.width ?? 0;
        const widths = await Promise.all((await bars.nth(i).locator("svg.bar rect").all()).map(async (r) => (await r.boundingBox())?.width ?? 0));
        expect(widths.length, plan).toBe(counts.length);
        widths.forEach((w, k) => expect(Math.abs(w - (full * (counts[k] ?? 0)) / total), `${plan} bar ${i} segment ${k}`).toBeLessThan(1.5));
      }
    }
  });

  it("draws the deadlines left to right in date order, to scale from today's line", async () => {
    const { page } = await openReport(browser, report, { width: 1280 });
    const today = await page.locator("g.today line").boundingBox();
    expect(await page.locator("g.today text").textContent()).toBe("today 2026-11-24");
    const markers = await Promise.all(
      (await page.locator("g.marker").all()).map(async (m) => {
        const box = await m.locator("use").boundingBox();
        const urgency = /\bu-(\w+)/.exec((await m.getAttribute("class")) ?? "")?.[1];
        const kind = /\bk-([a-z-]+)/.exec((await m.getAttribute("class")) ?? "")?.[1];
        const date = (await m.getAttribute("data-date")) ?? "";
        return { date, n: await m.locator("text").textContent(), urgency, kind, x: (box?.x ?? 0) + (box?.width ?? 0) / 2, y: box?.y ?? 0 };
      }),
    );
    markers.sort((a, b) => a.x - b.x || a.y - b.y);
    // Each active source subscription's term end, in the lane of what happens then (auto-renew
    // off already, on, or to be turned off by pcplan); Alpine's and Relecloud's cancellation
    // windows (open, to be used); Adventure's deprovisioning.
    const dates = [
      ["2026-11-27", "soon", "cancel-window"], // Alpine
      ["2026-11-28", "soon", "cancel-window"], // Relecloud: the monthly one
      ["2026-12-15", "soon", "ends"], // Woodgrove
      ["2026-12-21", "soon", "term-end"], // Relecloud: the monthly one renews unless cancelled first
      ["2027-02-01", "later", "renew-off-end"], // Relecloud: the annual one, auto-renew on today
      ["2027-02-28", "later", "ends"], // Fabrikam (the CEO keeps it)
      ["2027-03-01", "later", "renew-off-end"], // Coho
      [adventureDeprovision, "later", "deprovision"], // Adventure Works: deprovisioned after suspension
      ["2027-03-31", "later", "renew-off-end"], // Tailwind
      ["2027-03-31", "later", "ends"], // Contoso
      ["2027-03-31", "later", "ends"], // Wide World
      ["2027-05-09", "later", "renew-off-end"], // Lamna
      ["2027-05-31", "later", "ends"], // Litware
      ["2027-06-14", "later", "term-end"], // Fourth Coffee (a transition converts it)
      ["2027-06-30", "later", "ends"], // Tailspin
      ["2027-06-30", "later", "term-end"], // Margie's (excluded users keep it)
      ["2027-11-19", "later", "term-end"], // Alpine
    ].sort((a, b) => a[0].localeCompare(b[0]));
    // Same-day markers sit one above the other: compare them as sets per date.
    const byDate = (rows: string[][]) => rows.map((r) => r.join(" ")).sort();
    expect(byDate(markers.map((m) => [m.date, m.urgency ?? "", m.kind ?? ""]))).toEqual(byDate(dates));
    expect(markers.map((m) => m.date)).toEqual(dates.map((d) => d[0]));
    expect(markers.map((m) => Number(m.n)).sort((a, b) => a - b)).toEqual(dates.map((_, i) => i + 1));
    // Within --warn-days (30): marked soon, inside the shaded band.

    const band = await page.locator("rect.warn-band").boundingBox();
    expect(markers[0]?.x ?? 0).toBeGreaterThan(band?.x ?? 0);
    expect(markers[0]?.x ?? 0).toBeLessThan((band?.x ?? 0) + (band?.width ?? 0));
    // Linear in time: pixels per day from today's line are the same for every marker.
    const todayX = (today?.x ?? 0) + (today?.width ?? 0) / 2;
    const perDay = markers.map((m) => (m.x - todayX) / ((Date.parse(m.date) - Date.parse(NOW)) / 86_400_000));
    for (const r of perDay) expect(Math.abs(r - (perDay[0] ?? 0))).toBeLessThan(0.05);
    expect(perDay[0]).toBeGreaterThan(0);
    // The text alternative lists the same deadlines in the same order, open without a click.
    const items = await page.locator("#deadline-list li time").allTextContents();
    expect(items).toEqual(markers.map((m) => m.date));
    expect(await page.locator("#deadline-list").innerText()).toContain("Adventure Works · suspended MCOIMP deprovisioned");
    expect(await page.locator("#deadline-list li").first().innerText()).toMatch(
      /^1\s+2026-11-27 WITHIN 30 DAYS Alpine Ski House · last day to cancel O365_BUSINESS_ESSENTIALS \(in 3 days\)$/,
    );
    expect(await page.locator("svg.timeline-chart").getAttribute("role")).toBe("img");
    expect(await page.locator("svg.timeline-chart desc").textContent()).toMatch(
      /^17 deadlines from 2026-11-27 to 2027-11-19; today is 2026-11-24\. Next: Alpine Ski House: /,
    );
  });

  for (const width of [390, 1280]) {
    it(`fits ${width} px without horizontal overflow, light and dark, with no request and no console error`, async () => {
      for (const dark of [false, true]) {
        const { page, leaks, errors } = await openReport(browser, report, { width, dark });
        const [scrollWidth, clientWidth] = await page.evaluate<number[]>("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        expect(scrollWidth).toBeLessThanOrEqual(clientWidth ?? 0);
        const widest = await page.evaluate<number>("Math.max(...[...document.querySelectorAll('body *')].map((e) => e.getBoundingClientRect().right))");
        expect(widest).toBeLessThanOrEqual(width);
        // Every row stays readable: on a phone a row is a card as wide as the page.
        const row = await rowOf(page, C.contoso).boundingBox();
        expect(row?.width ?? 0).toBeGreaterThan(width * 0.8);
        const bg = await page.evaluate<string>("getComputedStyle(document.body).backgroundColor");
        expect(bg).toBe(dark ? "rgb(13, 17, 23)" : "rgb(255, 255, 255)");
        expect(leaks).toEqual([]);
        expect(errors).toEqual([]);
        if (width === 1280 && !dark && process.env.PCPLAN_UPDATE_SCREENSHOT) await screenshot();
      }
    });
  }

  it("sorts and filters with its script, and is complete without it", async () => {
    const { page, errors } = await openReport(browser, report, { width: 1280 });
    const f1 = page.locator("section.plan", { has: page.locator("h2", { hasText: /^office365-f1$/ }) });
    const header = f1.locator("thead th", { hasText: "To move" });
    await header.locator("button").click();
    expect(await header.getAttribute("aria-sort")).toBe("ascending");
    await header.locator("button").click();
    expect(await header.getAttribute("aria-sort")).toBe("descending");
    expect(await f1.locator("tbody tr th .name").allInnerTexts()).toEqual([
      "Contoso Ltd",
      "Woodgrove Bank",
      "Northwind Traders",
      "Adventure Works",
      "Wide World Importers",
    ]);

    const visibleRows = () => page.locator("table.customers tbody tr:visible").count();
    await page.getByLabel("Find customer").fill("WOODGROVE");
    expect(await visibleRows()).toBe(1);
    expect(await page.locator("#filter-count").textContent()).toBe(`1 of ${Object.keys(C).length} customers shown`);
    await page.getByLabel("Find customer").fill("");
    await page.locator("#filter-state").selectOption("done");
    expect(await page.locator("table.customers tbody tr:visible th .name").allInnerTexts()).toEqual(["Northwind Traders", "Adventure Works"]);
    expect(errors).toEqual([]);

    const plain = await openReport(browser, report, { width: 1280, javaScript: false });
    expect(await plain.page.locator("#filters").isVisible()).toBe(false);
    expect(await plain.page.locator("table.customers tbody tr:visible").count()).toBe(Object.keys(C).length);
    expect(await plain.page.locator("thead button").count()).toBe(0);
    expect(await plain.page.locator("g.marker").count()).toBe(17);
  });

  it("sorts on a phone, where the table headers are hidden, from the Sort by list", async () => {
    const { page, errors } = await openReport(browser, report, { width: 390 });
    await page.locator("#sort-by").selectOption({ label: "users to move, most first" });
    const f1 = page.locator("section.plan", { has: page.locator("h2", { hasText: /^office365-f1$/ }) });
    expect(await f1.locator("tbody tr th .name").allInnerTexts()).toEqual([
      "Contoso Ltd",
      "Woodgrove Bank",
      "Northwind Traders",
      "Adventure Works",
      "Wide World Importers",
    ]);
    await page.locator("#sort-by").selectOption({ label: "plan file order" });
    expect(await f1.locator("tbody tr th .name").allInnerTexts()).toEqual([
      "Contoso Ltd",
      "Northwind Traders",
      "Woodgrove Bank",
      "Adventure Works",
      "Wide World Importers",
    ]);
    expect(errors).toEqual([]);
  });

  it("counts every kind of pending action: Fourth Coffee's one transition shows, in status.html and plan.html", async () => {
    for (const page of [report, planPage]) {
      const { page: shown } = await openReport(browser, page, { width: 1280 });
      const pending = rowOf(shown, C.fourth).locator("td[data-label=Pending]");
      expect(await pending.innerText()).toMatch(/^1 transition\b/);
    }
    const { page: plan } = await openReport(browser, planPage, { width: 1280 });
    const pending = rowOf(plan, C.fourth).locator("td[data-label=Pending]");
    await pending.locator("summary").click();
    expect(await pending.locator("li").allInnerTexts()).toEqual([expect.stringMatching(/^» transition O365_BUSINESS_ESSENTIALS subscription /)]);
  });

  it("puts each deadline in the lane of what happens, in the table's words, and says why a kept source is kept", async () => {
    const { page } = await openReport(browser, report, { width: 1280 });
    const lanes = await page.evaluate<[string, number][]>(
      `[...document.querySelectorAll("text.lane-label")].map((t) => [t.textContent, t.getBoundingClientRect().y + window.scrollY])`,
    );
    expect(lanes.map(([label]) => label)).toEqual([
      "Cancellation window closes",
      "Ends once pcplan turns auto-renew off",
      "Term ends, auto-renew off",
      "Term ends, auto-renew on",
      "Deprovisioned after suspension",
    ]);
    const LANE: Record<string, string> = {
      "cancel-window": "Cancellation window closes",
      "renew-off-end": "Ends once pcplan turns auto-renew off",
      ends: "Term ends, auto-renew off",
      "term-end": "Term ends, auto-renew on",
      deprovision: "Deprovisioned after suspension",
    };
    // What each lane promises, as the customer's row says it of a subscription.
    const ROW: Record<string, RegExp> = {
      "cancel-window": /cancellable until \d{4}-\d\d-\d\d[^\n]*\n?retire: cancel/,
      "renew-off-end": /auto-renew on[^\n]*\n?retire: turn auto-renew off · ends /,
      ends: /auto-renew off/,
      "term-end": /auto-renew on/,
      deprovision: /suspended \d{4}-\d\d-\d\d · deprovisioned /,
    };
    for (const m of await drawnMarkers(page)) {
      const lane = [...lanes].reverse().find(([, y]) => Number(y) < m.box.y)?.[0];
      expect(lane, m.title).toBe(LANE[m.kind]);
      const who = /^\d+\. (.+?): /.exec(m.title)?.[1] ?? "";
      const row = page.locator("table.customers tbody tr", { has: page.locator(".name", { hasText: who }) });
      expect(await row.locator("td[data-label=Source]").innerText(), m.title).toMatch(ROW[m.kind]);
    }
    // Excluded users keep Margie's and Fabrikam's sources; a transition converts Fourth Coffee's.
    const source = (id: string) => rowOf(page, id).locator("td[data-label=Source]").innerText();
    expect(await source(C.margies)).toContain("retire: keep (users the plan excludes hold it)");
    expect(await source(C.fabrikam)).toContain("retire: keep (users the plan excludes hold it)");
    expect(await source(C.fourth)).toContain("retire: keep (the transition converts it to the target)");
    // No plan says decommission: keep, so no row or note says the plan leaves a source as it is.
    expect(await page.locator("main").innerText()).not.toContain("the plan leaves");
    expect(await page.locator(".retire-notes").allInnerTexts()).toContainEqual(expect.stringContaining("users the plan excludes still hold the source"));
  });

  it("names who each marker belongs to without hovering, and shows GUIDs small or on demand", async () => {
    const { page } = await openReport(browser, report, { width: 390 });
    const list = page.locator("#deadline-list");
    expect(await list.isVisible()).toBe(true);
    const items = await list.locator("li").allInnerTexts();
    for (const m of await drawnMarkers(page)) {
      const who = /^\d+\. (.+?): /.exec(m.title)?.[1] ?? "";
      expect(items[Number(m.n) - 1], m.title).toContain(`${who} · `);
    }
    // A subscription's GUID waits behind "subscription id"; a customer's is small.
    const contoso = rowOf(page, C.contoso);
    const subId = contoso.locator(".sub-id code");
    expect(await subId.isVisible()).toBe(false);
    await contoso.locator(".sub-id summary").first().click();
    expect(await subId.first().isVisible()).toBe(true);
    const size = async (sel: string) =>
      parseFloat(
        await contoso
          .locator(sel)
          .first()
          .evaluate((e) => (globalThis as unknown as StyleReader).getComputedStyle(e).fontSize),
      );
    expect(await size("th .id")).toBeLessThan(0.8 * (await size(".name")));
  });

  for (const width of [390, 1280]) {
    it(`at ${width} px draws no marker over another and none outside the chart`, async () => {
      const { page } = await openReport(browser, report, { width });
      const markers = await drawnMarkers(page);
      expect(markers).toHaveLength(17);
      expect(overlapping(markers)).toEqual([]);
      const chart = await page.locator("svg.timeline-chart").boundingBox();
      for (const m of markers) {
        expect(m.box.x, m.title).toBeGreaterThanOrEqual(chart?.x ?? 0);
        expect(m.box.x + m.box.width, m.title).toBeLessThanOrEqual((chart?.x ?? 0) + (chart?.width ?? 0));
      }
    });

    it(`at ${width} px never breaks a SKU name inside a word, in status.html and plan.html`, async () => {
      for (const html of [report, planPage]) {
        const { page } = await openReport(browser, html, { width });
        const skus = await skusShown(page);
        expect(skus).toEqual(expect.arrayContaining(["MCOIMP", "DESKLESSPACK", "O365_BUSINESS_ESSENTIALS", "O365_BUSINESS_PREMIUM", "MCOIMP_GOV"]));
        expect(await skuWordsBroken(page, skus)).toEqual([]);
      }
    });
  }

  it("states each plan's seat totals: target seats bought and to buy, users moved and to move", async () => {
    const { page } = await openReport(browser, planPage, { width: 1280 });
    for (const { name, totals } of statusTotals) {
      const section = page.locator("section.plan", { has: page.locator("h2", { hasText: new RegExp(`^${name}$`) }) });
      const figures = (await section.locator(".seats li").allInnerTexts()).map((t) => t.replace(/\s+/g, " "));
      // Seats to buy, counted from the plan's own JSON: its purchases and resizes.
      const toBuy = planJson.customers
        .filter((c) => c.plan === name)
        .flatMap((c) => c.actions)
        .reduce((n, a) => n + (a.kind === "purchase" ? (a.quantity ?? 0) : a.kind === "resize" ? (a.to ?? 0) - (a.from ?? 0) : 0), 0);
      const target = (await section.locator(".route").innerText()).split(" → ")[1];
      expect(figures, name).toEqual([
        `${totals.targetSeats} ${target} seats bought`,
        `${toBuy} seats to buy`,
        `${totals.usersOnTarget} users moved (on the target)`,
        `${totals.usersToMove} users to move`,
      ]);
    }
  });

  it("prints without the controls", async () => {
    const { page } = await openReport(browser, report, { width: 1280 });
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("#filters").isVisible()).toBe(false);
    expect(await page.locator("table.customers tbody tr:visible").count()).toBe(Object.keys(C).length);
  });

  /**
   * docs/images/status-report.png: `PCPLAN_UPDATE_SCREENSHOT=1 npx vitest run test/report`. Taken
   * from a fresh checkout whose plans name Litware, so the picture shows no hostile name.
   */
  async function screenshot(): Promise<void> {
    const clean = await tempCheckout();
    const args = [
      "status",
      "--format",
      "html",
      "--out",
      "status.html",
      "--audit-log",
      join(cwd, ".pcplan/audit.jsonl"),
      "--endpoint",
      sandbox.url,
      "--now",
      NOW,
    ];
    const r = await runMain(args, { cwd: clean, env: { PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin } });
    expect(r.code, r.stderr).toBe(0);
    const shown = await openReport(browser, await readFile(join(clean, "status.html"), "utf8"), { width: 1200 });
    // The top of the page: the summary, the timeline and the first plans.
    await shown.page.screenshot({ path: join(REPO, "docs/images/status-report.png"), fullPage: true, clip: { x: 0, y: 0, width: 1200, height: 1480 } });
  }
});
