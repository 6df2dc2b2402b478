/**
 * The HTML report on worlds built to show one thing each, in headless Chromium: six suspensions
 * on one date, customers whose only pending work is a cancellation or a renewal turned off
 * (rendered in-process from hand-made status), and a customer an apply refused for access (the
 * real CLI against the sandbox, with the demo world's buy-only app).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustomerPlan } from "../../src/reconcile/types.js";
import { renderPlanHtml, renderStatusHtml } from "../../src/render/html/index.js";
import { DEMO_FIXTURE_PATH, SANDBOX_APPS, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { graphAppEnv } from "../graph/helpers/graph.js";
import { runCli, tempCheckout } from "../helpers/cli.js";
import { DEMO } from "../helpers/demo-customers.js";
import { SKU, customerPlanOf } from "../reconcile/model.js";
import { CHROMIUM, HAVE_CHROMIUM, launchChromium, openReport } from "./chromium.js";
import { drawnMarkers, overlapping } from "./page-checks.js";
import { META, NOW, customerStatus, planStatus, report } from "./status-builders.js";

const skip = HAVE_CHROMIUM ? "" : ` — SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;

let browser: Browser;
beforeAll(async () => {
  if (HAVE_CHROMIUM) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe.skipIf(!HAVE_CHROMIUM)(`the report on worlds built for one fix each${skip}`, () => {
  const DAY = "2027-03-24";
  const suspended = Array.from({ length: 6 }, (_, i) =>
    customerStatus(`00000000-0000-4000-8000-00000000000${i}`, `Suspended Customer ${i + 1}`, {
      progress: "done",
      source: { state: "suspended", subscriptions: 1, suspendedAt: "2026-11-24T08:00:00Z", deprovisionOn: DAY, daysToDeprovision: 120 },
      sourceSubscriptions: [
        { id: `s${i}`, status: "suspended", quantity: 3, retirement: "suspend", suspendedAt: "2026-11-24T08:00:00Z", deprovisionOn: DAY, retirementDate: DAY },
      ],
    }),
  );

  for (const width of [390, 1280]) {
    it(`at ${width} px draws six suspensions deprovisioned on one date as six markers, none over another, each named on hover and in the list`, async () => {
      const { page, errors } = await openReport(browser, renderStatusHtml(report(planStatus("six-on-one-day", suspended)), META), { width });
      const markers = await drawnMarkers(page);
      expect(markers.map((m) => [m.kind, m.date])).toEqual(Array(6).fill(["deprovision", DAY]));
      expect(overlapping(markers)).toEqual([]);
      for (const m of markers) {
        expect(m.box.width, m.title).toBeGreaterThan(10);
        expect(await page.locator("g.marker", { has: page.locator(`text:text-is("${m.n}")`) }).isVisible()).toBe(true);
      }
      const named = markers.map((m) => /^\d+\. (Suspended Customer \d): suspended MCOIMP deprovisioned 2027-03-24/.exec(m.title)?.[1]);
      expect(named.sort()).toEqual(suspended.map((c) => c.name));
      const list = await page.locator("#deadline-list li").allInnerTexts();
      expect(list).toHaveLength(6);
      for (const m of markers) expect(list[Number(m.n) - 1]).toMatch(new RegExp(`2027-03-24 ${/: (.*?): /.exec(m.title)?.[1] ?? "?"}`));
      expect(errors).toEqual([]);
    });
  }

  it("counts a customer whose only pending work is a cancellation, or a renewal turned off, in status.html and plan.html", async () => {
    const cancelling = customerStatus("c-cancel", "Only Cancels", { progress: "in-progress", pending: { ...customerStatus("x", "x").pending, cancel: 1 } });
    const noRenew = customerStatus("c-norenew", "Only Renewal Off", {
      progress: "in-progress",
      pending: { ...customerStatus("x", "x").pending, "no-renew": 1 },
    });
    const status = report(planStatus("retire-only", [cancelling, noRenew]));
    const sub = "11111111-1111-4111-8111-111111111111";
    const plans: CustomerPlan[] = [
      customerPlanOf([{ kind: "cancel", subscriptionId: sub, sku: SKU.MCOIMP, quantity: 3, cancellationAllowedUntil: "2026-11-27T00:00:00Z" }], {
        customerId: "c-cancel",
        name: "Only Cancels",
      }),
      customerPlanOf([{ kind: "no-renew", subscriptionId: sub, sku: SKU.MCOIMP, quantity: 3, commitmentEndDate: "2027-03-31T00:00:00Z" }], {
        customerId: "c-norenew",
        name: "Only Renewal Off",
      }),
    ];
    for (const [html, withList] of [
      [renderStatusHtml(status, META), false],
      [renderPlanHtml(status, plans, META), true],
    ] as const) {
      const { page } = await openReport(browser, html, { width: 1280 });
      const pending = (name: string) =>
        page.locator("table.customers tbody tr", { has: page.locator(".name", { hasText: name }) }).locator("td[data-label=Pending]");
      expect(await pending("Only Cancels").innerText()).toMatch(/^1 cancellation\b/);
      expect(await pending("Only Renewal Off").innerText()).toMatch(/^1 auto-renew turned off\b/);
      if (withList) {
        await pending("Only Cancels").locator("summary").click();
        expect(await pending("Only Cancels").locator("li").innerText()).toMatch(/^- cancel MCOIMP subscription/);
      }
    }
  });
});

describe.skipIf(!HAVE_CHROMIUM)(`a customer an apply refused for access, in the status report${skip}`, () => {
  let sb: SandboxHandle;
  let cwd: string;
  let page: string;

  beforeAll(async () => {
    sb = await startSandbox({ fixture: await loadFixture(DEMO_FIXTURE_PATH), port: 0, clock: NOW });
    cwd = await tempCheckout();
    // The buy-only app may buy at Contoso but not assign licences there: the apply refuses Contoso.
    const env = graphAppEnv(sb, SANDBOX_APPS.buyOnly);
    const applied = await runCli(["apply", "--auto-approve", "--customer", DEMO.contoso, "--endpoint", sb.url, "--now", NOW], { cwd, env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(1);
    expect(applied.stdout).toMatch(/refused +Contoso Ltd/);
    const status = await runCli(["status", "--format", "html", "--out", "status.html", "--endpoint", sb.url, "--now", NOW], { cwd, env });
    // status reads the app's consent too: Contoso is refused there as well, so it exits 1 (a
    // customer needs attention), with the report written.
    expect(status.code, status.stderr).toBe(1);
    expect(status.stderr).toContain("Wrote the status report to status.html");
    page = await readFile(join(cwd, "status.html"), "utf8");
  }, 120_000);
  afterAll(async () => {
    await sb?.close();
  });

  it("lists it under Needs attention, above the timeline, and says so in its row", async () => {
    for (const width of [390, 1280]) {
      const { page: shown, errors } = await openReport(browser, page, { width });
      const attention = shown.locator("section.attention");
      expect(await attention.isVisible()).toBe(true);
      expect(await attention.locator("h2").innerText()).toBe("Needs attention (1 customer)");
      expect(await attention.locator("h3").innerText()).toBe("Refused for access (1)");
      expect(await attention.locator("li").innerText()).toMatch(
        /^Contoso Ltd \(office365-f1\) · refused at the last apply \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\): the credential may not change licenses in this customer's tenant: the app's consent there does not allow it: assigning licences needs LicenseAssignment\.ReadWrite\.All/,
      );
      const [top, timeline] = await Promise.all([attention.boundingBox(), shown.locator("#deadlines-h").boundingBox()]);
      expect(top?.y ?? 0).toBeLessThan(timeline?.y ?? 0);
      const row = shown.locator("table.customers tbody tr", { hasText: DEMO.contoso });
      expect(await row.locator("td[data-label=State]").innerText()).toContain("refused at the last apply");
      expect(errors).toEqual([]);
    }
  });
});
