/**
 * Runs the executor against the scripted Partner Center the way `apply` does: the real client
 * (validated responses), Partner Center licences, a purchase journal and an audit log in real
 * files, and a recording clock for the provisioning and transition waits.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileAuditLog, nullAuditLog, type AuditLog } from "../../src/apply/audit.js";
import { executePlan, type ApplyEvent, type CustomerResult, type ExecuteOptions } from "../../src/apply/execute.js";
import { fileJournal } from "../../src/journal/purchase-journal.js";
import { partnerCenterLicenses } from "../../src/licenses/partner-center-backend.js";
import { createPartnerCenterClient } from "../../src/partner-center/client.js";
import { validatedApi } from "../../src/partner-center/validated-api.js";
import { commerceBasis } from "../../src/reconcile/commerce-basis.js";
import type { AccessCheck } from "../../src/access/access-check.js";
import type { Action, CustomerPlan } from "../../src/reconcile/types.js";
import { fakeTime, type FakeServer } from "../helpers/fake-server.js";
import { CUSTOMER, SOURCE_SKU, TARGET_SKU, visibleSubscriptions, type ScriptedWorld } from "./scripted-partner-center.js";

export const MCOIMP = { skuId: SOURCE_SKU, skuPartNumber: "MCOIMP", displayName: "Skype for Business Online (Plan 1)" };
export const F3 = { skuId: TARGET_SKU, skuPartNumber: "DESKLESSPACK", displayName: "Office 365 F3" };

export function customerPlan(actions: Action[], customerId = CUSTOMER): CustomerPlan {
  return {
    customerId,
    name: "Contoso",
    planName: "test",
    source: MCOIMP,
    target: F3,
    sourceEndDate: undefined,
    daysLeft: undefined,
    actions,
    notes: [],
    counts: { sourceHolders: 2, onTarget: 0, excluded: 0 },
  };
}

export interface Run {
  result: CustomerResult;
  events: ApplyEvent[];
  /** The waits the executor asked for (ms), in order. */
  sleeps: number[];
}

export interface RunOptions {
  /** The world the customer was planned from (its commerce basis); default the world itself. null: no basis. */
  basisOf?: ScriptedWorld | null;
  maxRetries?: number;
  provisioningTimeoutMs?: number;
  /** The journal file (keep it between runs to resume); default a fresh one. */
  journalPath?: string;
  /** Append the audit log to this file; default none. */
  auditPath?: string;
  /** The clock's start (ms). */
  start?: number;
  customers?: CustomerPlan[];
  /** The GDAP roles the credential holds per customer, as `apply` passes them; default none known. */
  access?: AccessCheck;
  /** The run's time limit, as `apply` passes it (`--timeout`); default none. */
  deadline?: ExecuteOptions["deadline"];
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "pcplan-apply-"));
}

export async function applyTo(server: FakeServer, world: ScriptedWorld, actions: Action[], o: RunOptions = {}): Promise<Run> {
  const api = validatedApi(
    createPartnerCenterClient({ endpoint: server.url, token: () => Promise.resolve("test-token-123456"), maxRetries: o.maxRetries ?? 2, baseDelayMs: 1 }),
  );
  const basisWorld = o.basisOf === undefined ? world : o.basisOf;
  const bases = new Map(basisWorld === null ? [] : [[CUSTOMER, commerceBasis(visibleSubscriptions(basisWorld))]]);
  const time = fakeTime(o.start ?? Date.parse("2026-11-24T00:00:00Z"));
  const audit: AuditLog = o.auditPath ? fileAuditLog(o.auditPath) : nullAuditLog;
  const events: ApplyEvent[] = [];
  const [result] = await executePlan(api, o.customers ?? [customerPlan(actions)], {
    concurrency: 1,
    userConcurrency: 2,
    audit,
    licenses: (limit) => partnerCenterLicenses(api, limit),
    bases,
    subscriptions: new Map(basisWorld === null ? [] : [[CUSTOMER, visibleSubscriptions(basisWorld)]]),
    commerce: {
      journal: fileJournal(o.journalPath ?? join(await tempDir(), "purchases.jsonl"), time.now),
      provisioningTimeoutMs: o.provisioningTimeoutMs ?? 60_000,
      wait: time,
      now: time.now,
    },
    onEvent: (e) => events.push(e),
    ...(o.access ? { access: o.access } : {}),
    ...(o.deadline ? { deadline: o.deadline } : {}),
  });
  return { result: result, events, sleeps: time.sleeps };
}
