import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { CustomerPlan } from "../../src/reconcile/types.js";
import { collectDeadlines, renderPlanHtml, renderStatusHtml, type ReportMeta } from "../../src/render/html/index.js";
import { escapeHtml } from "../../src/render/html/html.js";
import type { CustomerStatus, PlanStatus, StatusReport } from "../../src/status/types.js";
import { customerStatus } from "./status-builders.js";

const NOW = "2026-11-24T00:00:00Z";
const HOSTILE = `Evil <script>alert(1)</script><img src=x onerror="alert(2)"> & 'co'`;
const HOSTILE_UPN = `x"><svg onload=alert(3)>@evil.example`;
const META: ReportMeta = { generatedAt: "2026-11-24T09:30:00Z", plansHash: "ab".repeat(32), version: "9.8.7", warnDays: 30 };

const base = (id: string, name: string, extra: Partial<CustomerStatus>): CustomerStatus => customerStatus(id, name, extra);
const totals = {
  customers: 4,
  done: 1,
  inProgress: 1,
  scheduled: 0,
  notStarted: 2,
  blocked: 0,
  notFound: 0,
  usersOnTarget: 4,
  usersToMove: 9,
  excluded: 1,
  targetSeats: 6,
  seatsToBuy: 5,
};
const plan: PlanStatus = {
  name: "retire-skype",
  file: "plans/retire.yaml",
  source: "MCOIMP",
  target: "DESKLESSPACK",
  totals,
  customers: [
    base("c1", HOSTILE, {
      usersOnSource: 5,
      usersToMove: 5,
      source: { state: "active", subscriptions: 1, endDate: "2026-12-10T00:00:00Z", daysLeft: 16 },
      sourceSubscriptions: [{ id: "s1", status: "active", quantity: 5, commitmentEndDate: "2026-12-10T00:00:00Z", autoRenew: false, retirement: "suspend" }],
      pending: { await: 0, purchase: 1, resize: 0, "group-license": 0, reassign: 5, suspend: 1, cancel: 0, "no-renew": 0, transition: 0, schedule: 0 },
      notes: [{ level: "warning", code: "ends-soon", message: `ends soon <b>${HOSTILE}</b>` }],
      lastChange: { time: "2026-11-20T08:00:00Z", action: "<i>purchase</i>", outcome: "failed" },
    }),
    // New commerce, as the lead's live reader will fill it: a cancellation window and a no-renew end.
    base("c2", "Nce Co", {
      progress: "in-progress",
      usersOnTarget: 2,
      usersToMove: 4,
      excluded: 1,
      source: { state: "active", subscriptions: 2, endDate: "2027-02-01T00:00:00Z", daysLeft: 69 },
      sourceSubscriptions: [
        {
          id: "n1",
          status: "active",
          quantity: 3,
          commitmentEndDate: "2027-02-01T00:00:00Z",
          autoRenew: false,
          retirement: "no-renew",
          retirementDate: "2027-02-01T00:00:00Z",
        },
        {
          id: "n2",
          status: "active",
          quantity: 3,
          commitmentEndDate: "2027-11-20T00:00:00Z",
          autoRenew: true,
          retirement: "cancel",
          cancellationAllowedUntil: "2026-11-27T00:00:00Z",
        },
      ],
    }),
    base("c3", "Done Co", {
      progress: "done",
      usersOnTarget: 2,
      source: { state: "suspended", subscriptions: 1, suspendedAt: "2026-10-01T00:00:00Z", deprovisionOn: "2027-01-29", daysToDeprovision: 66 },
      sourceSubscriptions: [
        {
          id: "d1",
          status: "suspended",
          quantity: 2,
          retirement: "suspend",
          suspendedAt: "2026-10-01T00:00:00Z",
          deprovisionOn: "2027-01-29",
          retirementDate: "2027-01-29",
        },
      ],
    }),
    base("c4", "Late Co", { source: { state: "active", subscriptions: 1, endDate: "2026-11-01T00:00:00Z", daysLeft: -23 } }),
  ],
};
const report: StatusReport = { formatVersion: 1, now: NOW, plans: [plan] };

const sha = (s: string) => `'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`;
const between = (s: string, open: string, close: string) => {
  const start = s.indexOf(open) + open.length;
  return s.slice(start, s.indexOf(close, start));
};

describe("deadlines", () => {
  it("draws every date the status carries, in date order, coloured by --warn-days", () => {
    const got = collectDeadlines(report, 30).map((d) => [d.date, d.kind, d.customerId, d.urgency]);
    expect(got).toEqual([
      // Late Co's status carries no subscriptions (an older JSON): its term end all the same.
      ["2026-11-01", "term-end", "c4", "past"],
      ["2026-11-27", "cancel-window", "c2", "soon"],
      // Auto-renew is off already: the term ends, in that lane, whatever pcplan retires.
      ["2026-12-10", "ends", "c1", "soon"],
      ["2027-01-29", "deprovision", "c3", "later"],
      ["2027-02-01", "ends", "c2", "later"],
      // The subscription pcplan cancels renews at its term end unless cancelled first.
      ["2027-11-20", "term-end", "c2", "later"],
    ]);
    expect(collectDeadlines(report, 10).find((d) => d.customerId === "c1")?.urgency).toBe("later");
  });
});

describe("the timeline of many customers", () => {
  it("groups each lane's deadlines by weeks once they are too many to draw one by one, losing none", () => {
    const many: CustomerStatus[] = Array.from({ length: 400 }, (_, i) => {
      const end = new Date(Date.parse(NOW) + (i % 300) * 86_400_000).toISOString();
      return base(`m${i}`, `Customer ${i}`, { source: { state: "active", subscriptions: 1, endDate: end, daysLeft: i % 300 } });
    });
    const page = renderStatusHtml({ formatVersion: 1, now: NOW, plans: [{ ...plan, customers: many }] }, META);
    const groups = [...page.matchAll(/<g class="marker k-term-end u-\w+( group)?" data-date="([\d-]+)" data-count="(\d+)">/g)];
    expect(groups.length).toBeGreaterThan(10);
    expect(groups.length).toBeLessThanOrEqual(25);
    expect(groups.reduce((n, g) => n + Number(g[3]), 0)).toBe(400);
    const dates = groups.map((g) => g[2] ?? "");
    expect(dates).toEqual([...dates].sort());
    expect(page.match(/<li class="u-/g)).toHaveLength(400);
  });
});

describe("renderStatusHtml", () => {
  const page = renderStatusHtml(report, META);

  it("shows untrusted names, notes and audit text only as escaped text", () => {
    expect(page).not.toContain(HOSTILE);
    expect(page).toContain(escapeHtml(HOSTILE));
    expect(page).toContain("&lt;i&gt;purchase&lt;/i&gt;");
    expect(page.match(/<script/g)).toHaveLength(1);
    // Escaped text keeps `onerror=` but never a real tag or a quoted attribute.
    expect(page).not.toMatch(/<img|<b>|<i>|<svg onload|\son\w+\s*=\s*["']/);
  });

  it("is self-contained: nothing to fetch, and the one style and one script are allowed by their hashes", () => {
    expect(page).not.toMatch(/\s(src|srcset|action|formaction|poster|data)\s*=\s*["']|https?:|url\(|@import|<link|<iframe|<object/i);
    for (const href of page.matchAll(/href="([^"]*)"/g)) expect(href[1]).toMatch(/^#s-/);
    const csp = between(page, '<meta http-equiv="Content-Security-Policy" content="', '"').replaceAll("&#39;", "'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src ${sha(between(page, "<style>", "</style>"))}`);
    expect(csp).toContain(`script-src ${sha(between(page, "<script>", "</script>"))}`);
  });

  it("draws one numbered marker per deadline, left to right in date order, and lists them as text", () => {
    const markers = [...page.matchAll(/<g class="marker k-([a-z-]+) u-(\w+)" data-date="([\d-]+)" data-count="1"><title>(\d+)\./g)].map((m) => [
      m[4],
      m[3],
      m[1],
      m[2],
    ]);
    expect(markers.sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      ["1", "2026-11-01", "term-end", "past"],
      ["2", "2026-11-27", "cancel-window", "soon"],
      ["3", "2026-12-10", "ends", "soon"],
      ["4", "2027-01-29", "deprovision", "later"],
      ["5", "2027-02-01", "ends", "later"],
      ["6", "2027-11-20", "term-end", "later"],
    ]);
    const xs = [...page.matchAll(/<use href="#s-[a-z-]+" x="([\d.]+)%"/g)].map((m) => Number(m[1]));
    expect(xs).toHaveLength(6);
    const todayX = Number(/<g class="today"><line x1="([\d.]+)%"/.exec(page)?.[1]);
    expect(todayX).toBeGreaterThan(0);
    const list = between(page, '<ol id="deadline-list">', "</ol>");
    expect(list).toContain("2026-11-27");
    expect(list).toContain("last day to cancel MCOIMP (in 3 days)");
    expect(list).toContain("MCOIMP term ended, auto-renew on (23 days ago)");
    expect(page).toContain('role="img" aria-labelledby="tl-title" aria-describedby="tl-desc"');
  });

  it("states the progress counts in words beside the bars", () => {
    expect(page).toContain('aria-label="Customers: 1 done, 1 in progress, 2 not started"');
    expect(page).toContain('aria-label="Users: 4 on target, 9 to move, 1 excluded"');
  });

  it("shows each subscription's retirement method and date, and the footer's generation time, plans hash and version", () => {
    expect(page).toMatch(
      /retire: <strong>ends with its term<\/strong> <span class="why">\(auto-renew is off already\)<\/span> · ends <time datetime="2027-02-01"/,
    );
    expect(page).toContain("cancellable until <time");
    expect(page).toContain(`<code class="hash">${"ab".repeat(32)}</code>`);
    expect(page).toContain('<span class="version">9.8.7</span>');
    expect(page).toContain('<time datetime="2026-11-24T09:30:00Z">2026-11-24 09:30 UTC</time>');
  });
});

describe("renderPlanHtml", () => {
  it("lists each customer's actions, UPNs escaped", () => {
    const customers: CustomerPlan[] = [
      {
        customerId: "c1",
        name: HOSTILE,
        planName: "retire-skype",
        source: { skuId: "s", skuPartNumber: "MCOIMP", displayName: "" },
        target: { skuId: "t", skuPartNumber: "DESKLESSPACK", displayName: "" },
        sourceEndDate: undefined,
        daysLeft: undefined,
        actions: [
          {
            kind: "reassign",
            userId: "u1",
            upn: HOSTILE_UPN,
            assign: { skuId: "t", skuPartNumber: "DESKLESSPACK", displayName: "" },
            remove: { skuId: "s", skuPartNumber: "MCOIMP", displayName: "" },
          },
        ],
        notes: [],
        counts: { sourceHolders: 1, onTarget: 0, excluded: 0 },
      },
    ];
    const page = renderPlanHtml(report, customers, META);
    expect(page).toContain("Plan: 0 purchases, 0 resizes, 1 reassignment, 0 suspensions across 1 customer (0 unchanged)");
    expect(page).toContain(`reassign ${escapeHtml(HOSTILE_UPN).replace("@", "@<wbr>").replace(".", ".<wbr>")}: MCOIMP → DESKLESSPACK`);
    expect(page).not.toContain(HOSTILE_UPN);
    expect(page.match(/<script/g)).toHaveLength(1);
  });
});
