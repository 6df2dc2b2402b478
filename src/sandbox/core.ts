/**
 * What a running sandbox holds once, for both its listeners: the world, its clock, the fault
 * dice and settings, the request log and change records, persistence, and the lazy clock-driven
 * changes (provisioning, transitions, deprovisioning). The pipeline (pipeline.ts) runs on it.
 */
import type { Clock } from "./clock.js";
import { FaultDice, Limiter } from "./faults.js";
import { advanceWorld, nextDueAt } from "./lifecycle.js";
import { Persister } from "./persist.js";
import { TokenSigner } from "./tokens.js";
import type { PipelineCore } from "./pipeline.js";
import type { WorldState } from "./state.js";
import type { CommerceDelays, FaultSettings, NewStateChange, RequestLogEntry, SandboxOptions, StateChange } from "./types.js";

/** Fault settings read per request (`setFaults` changes them at run time). */
export interface Faults {
  latencyMs: number;
  faultRate: number;
  lostResponseRate: number;
  /** User ids whose licence changes through Graph are refused (lowercase). */
  refusedUsers: ReadonlySet<string>;
}

export class SandboxCore implements PipelineCore {
  readonly requestLog: RequestLogEntry[] = [];
  readonly changes: StateChange[] = [];
  readonly dice: FaultDice;
  readonly faults: Faults;
  readonly delays: CommerceDelays;
  /** Partner-wide, then per customer (calls below `/customers/{id}/`). */
  readonly partnerCenterLimits: Limiter;
  /** Per app across tenants, then per tenant (Graph's throttling page). */
  readonly graphLimits: Limiter;
  /** Signs and checks the tokens the sandbox issues (Graph's, and app-only Partner Center ones), with a key made at start. */
  readonly signer = new TokenSigner();
  private readonly persister: Persister | undefined;
  private dueAt = Number.NEGATIVE_INFINITY;
  private changesSeen = -1;

  constructor(
    readonly state: WorldState,
    readonly clock: Clock,
    opts: SandboxOptions,
  ) {
    this.dice = new FaultDice(opts.seed ?? 1);
    this.faults = { latencyMs: opts.latencyMs ?? 0, faultRate: opts.faultRate ?? 0, lostResponseRate: opts.lostResponseRate ?? 0, refusedUsers: new Set() };
    this.delays = {
      provisioningMs: opts.provisioningDelayMs ?? 0,
      orderAppearanceMs: opts.orderAppearanceDelayMs ?? 0,
      transitionMs: opts.transitionDelayMs ?? 0,
      groupProcessingMs: opts.groupProcessingDelayMs ?? 1000,
    };
    this.partnerCenterLimits = new Limiter(opts.rateLimit ?? 0, opts.rateLimitCustomer ?? 0);
    this.graphLimits = new Limiter(opts.graphRateLimit ?? 0, opts.graphRateLimitTenant ?? 0);
    this.persister = opts.statePath !== undefined ? new Persister(opts.statePath, () => JSON.stringify(state.world)) : undefined;
  }

  /** Records a committed state change, numbered. */
  readonly record = (c: NewStateChange): void => {
    this.changes.push({ ...c, seq: this.changes.length + 1 });
  };

  log(e: Omit<RequestLogEntry, "seq">): RequestLogEntry {
    const entry: RequestLogEntry = { seq: this.requestLog.length + 1, ...e };
    this.requestLog.push(entry);
    return entry;
  }

  changeCount(): number {
    return this.changes.length;
  }

  /**
   * Lazy clock-driven changes; returns whether anything changed. The world is scanned only when
   * something is due, or when a change since the last scan may have made something due (a new
   * order, a suspension, a transition).
   */
  advance(): boolean {
    const now = this.clock.nowMs();
    if (this.changes.length === this.changesSeen && now < this.dueAt) return false;
    const due = advanceWorld(this.state, now);
    due.forEach(this.record);
    this.dueAt = nextDueAt(this.state);
    this.changesSeen = this.changes.length;
    return due.length > 0;
  }

  persist(): Promise<void> {
    return this.persister?.persist() ?? Promise.resolve();
  }

  flush(): Promise<void> {
    return this.persister?.flush() ?? Promise.resolve();
  }

  setClock(iso: string): void {
    this.clock.set(iso);
    if (this.advance()) void this.persist().catch(() => undefined);
  }

  setDelays(d: Partial<CommerceDelays>): void {
    if (d.provisioningMs !== undefined) this.delays.provisioningMs = d.provisioningMs;
    if (d.orderAppearanceMs !== undefined) this.delays.orderAppearanceMs = d.orderAppearanceMs;
    if (d.transitionMs !== undefined) this.delays.transitionMs = d.transitionMs;
    if (d.groupProcessingMs !== undefined) this.delays.groupProcessingMs = d.groupProcessingMs;
  }

  setFaults(f: FaultSettings): void {
    if (f.faultRate !== undefined) this.faults.faultRate = f.faultRate;
    if (f.lostResponseRate !== undefined) this.faults.lostResponseRate = f.lostResponseRate;
    if (f.latencyMs !== undefined) this.faults.latencyMs = f.latencyMs;
    if (f.graphRefuseUsers !== undefined) this.faults.refusedUsers = new Set(f.graphRefuseUsers.map((u) => u.toLowerCase()));
    if (f.rateLimit !== undefined) this.partnerCenterLimits.setRate(f.rateLimit);
    if (f.rateLimitCustomer !== undefined) this.partnerCenterLimits.setPerScope(f.rateLimitCustomer);
    if (f.graphRateLimit !== undefined) this.graphLimits.setRate(f.graphRateLimit);
    if (f.graphRateLimitTenant !== undefined) this.graphLimits.setPerScope(f.graphRateLimitTenant);
  }
}
