/**
 * Licence assignment errors (issue 23) in `status`: named per user, with the licence and the
 * group it comes through (or "directly"), in the status model (`--format json`), its text and the
 * HTML report's "Needs attention", from the holders as read (Graph's licenseAssignmentStates).
 */
import { describe, expect, it } from "vitest";
import type { MigrationPlan } from "../../src/plan-file/types.js";
import type { LiveCustomer, LiveUser } from "../../src/reconcile/types.js";
import { renderStatusHtml } from "../../src/render/html/index.js";
import { computeStatus, renderStatusJson, renderStatusText } from "../../src/status/index.js";
import { LEGACY_PURCHASE } from "../reconcile/model.js";
import { F3, SKYPE, customerPlan } from "./status-builders.js";

const NOW = "2026-11-24T00:00:00Z";
const OTHER = "f8a1db68-be16-40ed-86d5-cb42ce701560";
const at = { file: "plans/p.yaml", line: 1, col: 1 };

const plan: MigrationPlan = {
  file: "plans/p.yaml",
  name: "retire-skype",
  source: SKYPE,
  target: F3,
  customers: [{ id: "a", name: "Contoso", target: F3, exclude: [], seats: "users", decommission: "auto", purchase: LEGACY_PURCHASE, strategy: "purchase", at }],
  suspendSource: true,
  seats: "users",
  allowFeatureLoss: false,
  at,
};
const customer = customerPlan({
  name: "Contoso",
  // What the preview says of them (src/reconcile/holdings.ts): the status names them one by one instead.
  notes: [
    { level: "warning", code: "license-errors", message: "licence assignment errors: casey@contoso.com (MutuallyExclusiveViolation, through group All staff)" },
  ],
  counts: { sourceHolders: 2, onTarget: 0, excluded: 0 },
});
const assignment = (skuId: string, group: string | null, error?: string) => ({ skuId, group, error, disabledPlans: [] });
const users: LiveUser[] = [
  {
    id: "u1",
    upn: "casey@contoso.com",
    skuIds: [SKYPE.skuId],
    assignments: [assignment(SKYPE.skuId, "g1"), assignment(F3.skuId, "g1", "MutuallyExclusiveViolation")],
  },
  // Direct, and through a group the run did not read (named by its id); an error on another licence is not the plan's.
  {
    id: "u2",
    upn: "drew@contoso.com",
    skuIds: [SKYPE.skuId],
    assignments: [assignment(SKYPE.skuId, null, "CountViolation"), assignment(OTHER, "g2", "Other")],
  },
  { id: "u3", upn: "eli@contoso.com", skuIds: [SKYPE.skuId], assignments: [assignment(SKYPE.skuId, "g9", "DependencyViolation")] },
];
const live: LiveCustomer = {
  id: "a",
  name: "Contoso",
  subscriptions: [],
  skus: [],
  users,
  groups: [{ id: "g1", name: "All staff", members: [], licenses: [], dynamic: false, onPremises: false, processing: "ProcessingComplete" }],
  pendingOrders: [],
  eligibilities: new Map(),
};
const report = () =>
  computeStatus([plan], [customer], { offers: [], failures: new Map(), catalog: new Map(), customers: new Map([["a", live]]) }, { now: NOW });

describe("status: licence assignment errors", () => {
  it("names each user's failed assignment of the source or target, with the group it comes through, in the JSON model", () => {
    const row = report().plans[0].customers[0];
    expect(row.attention).toEqual([
      { kind: "license-error", upn: "casey@contoso.com", sku: "DESKLESSPACK", error: "MutuallyExclusiveViolation", group: "All staff" },
      { kind: "license-error", upn: "drew@contoso.com", sku: "MCOIMP", error: "CountViolation", group: null },
      { kind: "license-error", upn: "eli@contoso.com", sku: "MCOIMP", error: "DependencyViolation", group: "g9" },
    ]);
    // Said once: the preview's summary note is not repeated beside them.
    expect(row.notes.map((n) => n.code)).not.toContain("license-errors");
    expect(JSON.parse(renderStatusJson(report())).plans[0].customers[0].attention).toHaveLength(3);
  });

  it("says them in the text, one line per user", () => {
    const text = renderStatusText(report());
    expect(text).toContain("licence assignment error: casey@contoso.com: DESKLESSPACK through group All staff failed (MutuallyExclusiveViolation)");
    expect(text).toContain("licence assignment error: drew@contoso.com: MCOIMP assigned directly failed (CountViolation)");
    expect(text).toContain("licence assignment error: eli@contoso.com: MCOIMP through group g9 failed (DependencyViolation)");
  });

  it("lists them under the HTML report's Needs attention, and in the customer's row", () => {
    // Without the line-break hints long names carry (<wbr>).
    const page = renderStatusHtml(report(), { generatedAt: "2026-11-24T09:30:00Z", plansHash: "ab".repeat(32), version: "9.8.7", warnDays: 30 }).replaceAll(
      "<wbr>",
      "",
    );
    const attention = /<section class="card attention"[\s\S]*?<\/section>/.exec(page)?.[0] ?? "";
    expect(attention).toContain("Licence assignment errors (3)");
    expect(attention).toMatch(/casey@contoso\.com: DESKLESSPACK through group All staff failed \(<b>MutuallyExclusiveViolation<\/b>\)/);
    const rows = page.slice(page.indexOf("</section>", page.indexOf('class="card attention"')));
    expect(rows).toMatch(/<li class="note-error attention">[^]*?drew@contoso\.com: MCOIMP assigned directly failed \(<b>CountViolation<\/b>\)/);
  });

  it("none where no assignment failed, or where the licences were read without assignment states (Partner Center)", () => {
    const clean = { ...live, users: users.map((u) => ({ ...u, assignments: undefined })) };
    const r = computeStatus(
      [plan],
      [{ ...customer, notes: [] }],
      { offers: [], failures: new Map(), catalog: new Map(), customers: new Map([["a", clean]]) },
      { now: NOW },
    );
    expect(r.plans[0].customers[0].attention).toBeUndefined();
  });
});
