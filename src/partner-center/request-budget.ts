/**
 * The request budgets of one client: one per scope (rate-scopes.ts), each a token bucket at a
 * rate learned from the service's answers (rate-control.ts), and one bound on requests on the
 * wire. The dispatcher (dispatcher.ts) sends a request when all of them allow it, so a tenant
 * that is held back holds up nobody else.
 *
 * Tenant scopes of one class (every customer tenant of one host) share one learned rate: the
 * service's per-customer limit is the same for every customer, so what one tenant's 429
 * teaches spares the others their own. Each tenant keeps its own bucket and its own
 * Retry-After pause. Until a 429 is put down to a tenant limit, tenants are not limited at all
 * (as in the AWS SDKs' adaptive mode, a budget starts limiting on its first throttle).
 *
 * Whose limit a 429 was (attribution.ts) is judged a few round trips after it arrives, from
 * what else the service answered meanwhile; the throttled tenant pauses at once, and the
 * partner holds new requests while the 429s are judged.
 */
import { decideThrottle, type ThrottleHit } from "./attribution.js";
import { EventWindow } from "./event-window.js";
import { Dispatcher, type Gate } from "./dispatcher.js";
import { RateControl, type RateControlOptions } from "./rate-control.js";
import type { Scope, ScopeKind } from "./rate-scopes.js";
import { TokenBucket } from "./token-bucket.js";

export interface RequestBudgetOptions {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Cap on every partner scope's rate (`--max-rps`). Default none. */
  maxRps?: number;
  /** Where a partner scope starts. Default 10 requests/s. */
  initialRps?: number;
  /** Overrides for the partner and the tenant rate control (tests and tuning). */
  partnerControl?: Partial<RateControlOptions>;
  tenantControl?: Partial<RateControlOptions>;
  /** Requests on the wire at once, all scopes together. Default 32. */
  maxInFlight?: number;
  /** Told when a scope's rate is cut. */
  onCut?: (cut: RateCut) => void;
}

export interface RateCut {
  scope: string;
  kind: ScopeKind;
  /** The new rate (requests/s). */
  rps: number;
  /** What the service was estimated to accept (requests/s). */
  acceptedRps: number;
  /** The scope is paused until then (ms, the budget's clock). */
  pausedUntil: number;
}

/** What a request was granted: its scopes, when it went, which budgets held it back. */
export interface Grant {
  scopes: readonly Scope[];
  sentAt: number;
  /** Keys of the scopes the request had to wait for. */
  waitedFor: ReadonlySet<string>;
  waitedMs: number;
}

export interface BudgetStats {
  /** `host` or `host tenant`. */
  scope: string;
  kind: ScopeKind;
  /** Current rate; `null` while not limited (tenant scopes before their first 429). */
  rps: number | null;
  /** Most requests sent in one second (for a tenant class: by one tenant). */
  peakRps: number;
  /** Requests sent in the last second (for a tenant class: all its tenants together). */
  currentRps: number;
  /** 429s put down to this scope. */
  throttled: number;
  /** Rate cuts. */
  cuts: number;
  /** Scopes of this class seen (tenants). */
  scopes: number;
}

export interface Instance {
  scope: Scope;
  bucket: TokenBucket;
  gate: Gate;
  sends: EventWindow;
  oks: EventWindow;
  lastWaitAt: number;
  /** End of the last Retry-After pause. */
  retryPauseEnd: number;
  accepted: number;
  /** Since the last cut (or the first request): when, and how many had been accepted by then. */
  since: { at: number; accepted: number };
}

interface ScopeClass {
  key: string;
  kind: ScopeKind;
  control: RateControl;
  /** A 429 of a request sent before this answers the overload already cut for. */
  cutAt: number;
  throttled: number;
  cuts: number;
  peakRps: number;
  sends: EventWindow;
  /** Tenant classes: the most successes one tenant got in a second. */
  maxAccepted: number;
  instances: number;
}

/** 429s of one host gathered until they are judged together. */
interface PendingThrottle {
  hits: ThrottleHit[];
  /** Successes meanwhile of a throttled tenant's requests sent after its first 429'd one. */
  sameAccepted: Map<string, number>;
  /** Answers meanwhile (success or 429) of such requests. */
  sameAnswered: Map<string, number>;
  partnerSent: number;
  meanTenantSent: number;
  /** When the 429s gathered are judged. */
  judgeAt: number;
  /**
   * Answers meanwhile to partner requests sent after the first 429'd one: the service's bucket
   * was empty then, so what passed of them is what it refilled while they were sent.
   */
  after: { from: number; to: number; passed: number; answered: number };
}

/**
 * Tenant classes: a first limit learned from a tenant that burst into the service's bucket is
 * close to the service's (it is what the bucket held), so the cut is milder; and a change
 * tries every tenant at once, so the climb back is slower.
 */
const TENANT_CONTROL: Partial<RateControlOptions> = { beta: 0.85, recoverySeconds: 20 };

/** Tenants idle this long are forgotten (their bucket would be full again anyway). */
const IDLE_MS = 60_000;
const SWEEP_AT = 10_000;

export class RequestBudget {
  private readonly instances = new Map<string, Instance>();
  private readonly classes = new Map<string, ScopeClass>();
  private readonly pending = new Map<string, PendingThrottle>();
  private readonly dispatcher: Dispatcher;
  private waitMs = 0;
  /** Smoothed round trip (ms), to know how long to gather 429s before judging them. */
  private rttMs = 100;

  constructor(private readonly opts: RequestBudgetOptions) {
    this.dispatcher = new Dispatcher({ now: opts.now, sleep: opts.sleep }, opts.maxInFlight ?? 32);
  }

  /** Waits until the request may be sent. Call `release` once its attempt is over. */
  async acquire(scopes: readonly Scope[]): Promise<Grant> {
    const first = scopes[0];
    if (!first) throw new RangeError("a request without scopes");
    const started = this.opts.now();
    const insts = scopes.map((s) => this.instance(s));
    await this.dispatcher.wait(
      first.key,
      insts.map((i) => i.gate),
    );
    const sentAt = this.opts.now();
    const waitedFor = new Set<string>();
    for (const inst of insts) {
      if (inst.lastWaitAt >= started && sentAt > started) waitedFor.add(inst.scope.key);
      inst.sends.add(sentAt);
      const cls = this.classOf(inst.scope);
      cls.sends.add(sentAt);
      cls.peakRps = Math.max(cls.peakRps, cls.kind === "partner" ? cls.sends.count(sentAt) : inst.sends.count(sentAt));
    }
    this.waitMs += sentAt - started;
    return { scopes, sentAt, waitedFor, waitedMs: sentAt - started };
  }

  /** The attempt is over (answered or failed): its place on the wire is free. */
  release(): void {
    this.dispatcher.done();
  }

  onSuccess(grant: Grant): void {
    const now = this.opts.now();
    this.rttMs = 0.9 * this.rttMs + 0.1 * Math.max(1, now - grant.sentAt);
    for (const scope of grant.scopes) {
      const inst = this.instance(scope);
      inst.oks.add(now);
      inst.accepted++;
      const cls = this.classOf(scope);
      if (cls.kind === "tenant") cls.maxAccepted = Math.max(cls.maxAccepted, inst.oks.count(now));
      cls.control.onSuccess(now, grant.waitedFor.has(scope.key), inst.sends.count(now), acceptedRate(inst, now, false));
    }
    const partner = grant.scopes[grant.scopes.length - 1];
    const pend = partner && this.pending.get(partner.key);
    if (!pend) return;
    noteAfter(pend, grant, true);
    const tenant = grant.scopes.find((s) => s.kind === "tenant");
    const first = tenant && pend.hits.find((h) => h.tenant?.scope.key === tenant.key);
    if (first && grant.sentAt >= first.sentAt) {
      pend.sameAccepted.set(tenant.key, (pend.sameAccepted.get(tenant.key) ?? 0) + 1);
      pend.sameAnswered.set(tenant.key, (pend.sameAnswered.get(tenant.key) ?? 0) + 1);
    }
  }

  /**
   * A 429. The request's tenant (if any) pauses for `retryAfterMs` at once; whose limit it
   * was — and so which scope is cut and which pauses — is judged with the 429s that follow
   * within a few round trips. Returns when the request may be sent again at the earliest.
   */
  onThrottled(grant: Grant, retryAfterMs: number): number {
    const now = this.opts.now();
    const partner = grant.scopes[grant.scopes.length - 1];
    if (!partner) throw new RangeError("a grant without scopes");
    const tenantScope = grant.scopes.find((s) => s.kind === "tenant");
    const tenant = tenantScope && this.instance(tenantScope);
    const until = now + retryAfterMs;
    if (tenant) this.pause(tenant, until);
    const hit: ThrottleHit = {
      ...(tenant ? { tenant } : {}),
      sentAt: grant.sentAt,
      until,
      sentLastSecond: tenant ? tenant.sends.count(now) : 0,
      heldAtTenantLimit: !!tenant && this.classOf(tenant.scope).control.limited && now - tenant.lastWaitAt < 1000,
      partnerSentLastSecond: this.instance(partner).sends.count(now),
    };
    const pend = this.pending.get(partner.key);
    if (pend) {
      noteAfter(pend, grant, false);
      if (tenant && pend.hits.some((h) => h.tenant === tenant)) pend.sameAnswered.set(tenant.scope.key, (pend.sameAnswered.get(tenant.scope.key) ?? 0) + 1);
      pend.hits.push(hit);
    } else {
      this.pending.set(partner.key, {
        hits: [hit],
        sameAccepted: new Map(),
        sameAnswered: new Map(),
        partnerSent: this.instance(partner).sends.count(now),
        meanTenantSent: tenant ? this.meanSent(tenant.scope.classKey, now) : 0,
        judgeAt: Number.POSITIVE_INFINITY,
        after: { from: grant.sentAt, to: grant.sentAt, passed: 0, answered: 0 },
      });
      const gather = Math.min(1000, Math.max(50, 3 * this.rttMs));
      // Hold new partner traffic while judging: if the partner is over its limit, every request
      // sent meanwhile would only add a 429; if not, the hold costs a few round trips. Not for
      // a tenant held at its learned limit: that is its own limit, most likely. The verdict is
      // taken by the first look at the partner's bucket after the gathering.
      if (!hit.heldAtTenantLimit) this.instance(partner).bucket.pauseUntil(now + gather);
      this.pending.get(partner.key)!.judgeAt = now + gather;
    }
    if (!tenant) this.pause(this.instance(partner), until);
    return until;
  }

  /** The rate of the first partner scope (the client's own host); before any request, where it starts. */
  get partnerRps(): number {
    for (const cls of this.classes.values()) if (cls.kind === "partner") return cls.control.rps;
    return Math.min(this.opts.initialRps ?? 10, this.opts.maxRps ?? Number.POSITIVE_INFINITY);
  }

  /** Summed over requests: time spent waiting for a budget (ms). */
  get totalWaitMs(): number {
    return this.waitMs;
  }

  stats(): BudgetStats[] {
    const now = this.opts.now();
    return [...this.classes.values()].map((cls) => ({
      scope: cls.key,
      kind: cls.kind,
      rps: Number.isFinite(cls.control.rps) ? cls.control.rps : null,
      peakRps: cls.peakRps,
      currentRps: cls.sends.count(now),
      throttled: cls.throttled,
      cuts: cls.cuts,
      scopes: cls.instances,
    }));
  }

  private judge(partnerScope: Scope): void {
    const pend = this.pending.get(partnerScope.key);
    this.pending.delete(partnerScope.key);
    if (!pend) return;
    const partner = this.instance(partnerScope);
    const tenantClass = pend.hits.find((h) => h.tenant)?.tenant;
    // 429s of requests sent before the partner's last cut are that overload's.
    const partnerCls = this.classOf(partnerScope);
    const stale = pend.hits.every((h) => h.sentAt < partnerCls.cutAt);
    const verdict = stale
      ? ({ scope: "partner" } as const)
      : decideThrottle(pend, {
          maxTenantAccepted: tenantClass ? this.classOf(tenantClass.scope).maxAccepted : 0,
          partnerCeiling: partnerCls.control.measuredCeiling,
          partnerLastThrottled: partnerCls.control.ceiling,
          tenantRate: tenantClass && this.classOf(tenantClass.scope).control.limited ? this.classOf(tenantClass.scope).control.rps : 0,
        });
    const until = Math.max(...pend.hits.map((h) => h.until));
    if (verdict.scope === "partner") {
      this.pause(partner, until);
      this.cut(partner, pend.hits, until, refillRate(pend));
    } else {
      this.cut(verdict.tenant, pend.hits, until);
    }
  }

  /** A Retry-After pause (not the short hold while 429s are judged). */
  private pause(inst: Instance, until: number): void {
    inst.bucket.pauseUntil(until);
    inst.retryPauseEnd = Math.max(inst.retryPauseEnd, until);
  }

  private cut(inst: Instance, hits: readonly ThrottleHit[], until: number, measured = Number.NaN): void {
    const cls = this.classOf(inst.scope);
    cls.throttled += hits.length;
    // 429s of requests sent before the last cut answer an overload that was already cut for.
    if (!hits.some((h) => h.sentAt >= cls.cutAt)) return;
    const now = this.opts.now();
    // A tenant class learns from the throttled tenants' last second: a tenant that sent up to
    // its 429 emptied the service's bucket for it, so what it got through is what it holds.
    const acceptedRps = Number.isFinite(measured)
      ? measured
      : cls.kind === "tenant"
        ? Math.max(...hits.map((h) => h.tenant?.oks.count(now) ?? 0))
        : acceptedRate(inst, now, !cls.control.limited);
    // A tenant refused before anything passed for it tells nothing of a tenant limit.
    if (cls.kind === "tenant" && !(acceptedRps >= 1)) return;
    const rps = cls.control.onThrottle(now, acceptedRps);
    cls.cutAt = now;
    cls.cuts++;
    inst.since = { at: now, accepted: inst.accepted };
    this.opts.onCut?.({ scope: cls.key, kind: cls.kind, rps, acceptedRps, pausedUntil: until });
  }

  private instance(scope: Scope): Instance {
    let inst = this.instances.get(scope.key);
    if (!inst) {
      const now = this.opts.now();
      if (this.instances.size >= SWEEP_AT) this.sweep(now);
      const cls = this.classOf(scope);
      const sends = new EventWindow();
      const bucket = new TokenBucket(
        now,
        () => cls.control.rps,
        () => sends.count(this.opts.now()),
      );
      const judgeDue = (t: number) => {
        const pend = this.pending.get(scope.key);
        if (pend && t >= pend.judgeAt) this.judge(scope);
      };
      const created: Instance = {
        scope,
        bucket,
        gate: {
          readyAt: (t) => {
            if (scope.kind === "partner") judgeDue(t);
            return bucket.readyAt(t);
          },
          take: (t) => bucket.take(t),
          holding: (t) => {
            created.lastWaitAt = t;
          },
        },
        sends,
        oks: new EventWindow(),
        lastWaitAt: Number.NEGATIVE_INFINITY,
        retryPauseEnd: Number.NEGATIVE_INFINITY,
        accepted: 0,
        since: { at: now, accepted: 0 },
      };
      inst = created;
      this.instances.set(scope.key, inst);
      cls.instances++;
    }
    return inst;
  }

  private classOf(scope: Scope): ScopeClass {
    let cls = this.classes.get(scope.classKey);
    if (!cls) {
      const control =
        scope.kind === "partner"
          ? new RateControl({ initialRps: this.opts.initialRps ?? 10, maxRps: this.opts.maxRps, ...this.opts.partnerControl })
          : new RateControl({ initialRps: Number.POSITIVE_INFINITY, ...TENANT_CONTROL, ...this.opts.tenantControl });
      cls = {
        key: scope.classKey,
        kind: scope.kind,
        control,
        cutAt: Number.NEGATIVE_INFINITY,
        throttled: 0,
        cuts: 0,
        peakRps: 0,
        sends: new EventWindow(),
        maxAccepted: 0,
        instances: 0,
      };
      this.classes.set(scope.classKey, cls);
    }
    return cls;
  }

  /** Requests in the last second per tenant of the class that sent any (0: none did). */
  private meanSent(classKey: string, now: number): number {
    let sent = 0;
    let active = 0;
    for (const inst of this.instances.values()) {
      if (inst.scope.classKey !== classKey) continue;
      const n = inst.sends.count(now);
      if (n > 0) {
        sent += n;
        active++;
      }
    }
    return active > 0 ? sent / active : 0;
  }

  private sweep(now: number): void {
    for (const [key, inst] of this.instances) {
      if (inst.scope.kind === "tenant" && now - Math.max(inst.sends.last, inst.bucket.pauseEnd) > IDLE_MS) this.instances.delete(key);
    }
  }
}

/**
 * What the service accepted per second since this scope's last cut (or its first request).
 * A 429 means the service's bucket is empty; so it was at the previous cut, so what passed in
 * between is what the service refilled meanwhile: its rate. Out of slow start the average is
 * diluted by the slow climb and the last second swollen by the service's initial burst (slow
 * start overshoots by up to two, as TCP's does): the larger of the average and half the last
 * second; a later cut corrects an estimate that was high. NaN when fewer than 5 requests
 * passed: too little to judge by (the rate sent then stands in for it).
 */
function acceptedRate(inst: Instance, now: number, slowStartExit: boolean): number {
  const seconds = (now - inst.since.at) / 1000;
  const passed = inst.accepted - inst.since.accepted;
  const recent = inst.oks.count(now);
  if (passed < MIN_EVIDENCE && recent < MIN_EVIDENCE) return Number.NaN;
  if (slowStartExit) return Math.max(seconds >= 1 ? passed / seconds : recent, recent / 2);
  return seconds >= 2 ? passed / seconds : recent;
}

/** Counts an answer to a partner request sent at or after the group's first 429'd one. */
function noteAfter(pend: PendingThrottle, grant: Grant, passed: boolean): void {
  const a = pend.after;
  if (grant.sentAt < a.from) return;
  a.answered++;
  if (passed) a.passed++;
  a.to = Math.max(a.to, grant.sentAt);
}

/**
 * The service's refill rate, read off the requests sent after the first 429'd one: its bucket
 * was empty when that one arrived, so of those sent over the next `to − from` ms, as many pass
 * as it refills meanwhile. NaN with too few of them (fewer than 8, or under 10 ms of sending),
 * when nearly all passed (the bucket was not empty for long) or hardly any (then tenants'
 * limits may have refused them): no measure of its rate.
 */
function refillRate(pend: PendingThrottle): number {
  const { from, to, passed, answered } = pend.after;
  if (answered < 8 || to - from < 10 || passed < 2 || passed > 0.9 * answered) return Number.NaN;
  return (passed * 1000) / (to - from);
}

/** Accepted requests below which a rate is not estimated from them. */
const MIN_EVIDENCE = 5;
