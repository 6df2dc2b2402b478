import type { CatalogSku, SkuCatalog } from "../catalog/types.js";
import type { DiagnosticCode } from "./diagnostic-codes.js";
import { formatPath, type PathSegment } from "../util/field-path.js";
import { nceCatalogItemOf } from "../catalog/nce-products.js";
import type { RawPlan, RawPurchase } from "./raw-plan.js";
import type { BillingCycle, DecommissionMethod, Diagnostic, MigrationPlan, PlanCustomer, PurchaseSettings, SkuRef, SourcePosition, Term } from "./types.js";
import type { YamlLocator } from "./yaml-locate.js";

/** A schema-valid plan after its own semantic checks; cross-plan checks (check-across-plans.ts) still to come. */
export interface CheckedPlan {
  name: string;
  nameAt: SourcePosition;
  customers: { id: string; at: SourcePosition }[];
  /** Undefined when a check failed with an error. */
  plan: MigrationPlan | undefined;
}

/**
 * Entra user principal names: prefix of letters, digits and ' . - _ ! # ^ ~ (no leading or
 * trailing dot), @, then a domain of dot-separated labels.
 */
const UPN = /^(?!\.)[A-Za-z0-9'._!#^~-]{1,64}(?<!\.)@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Where a plan's checks report: its file, positions in it, and the SKU catalog. */
interface Checker {
  catalog: SkuCatalog;
  pos(path: PathSegment[], anchor?: "key" | "value"): SourcePosition;
  report(severity: Diagnostic["severity"], code: DiagnosticCode, path: PathSegment[], message: string): void;
}

export function checkPlan(raw: RawPlan, file: string, locator: YamlLocator, catalog: SkuCatalog, out: Diagnostic[]): CheckedPlan {
  const before = out.filter((d) => d.severity === "error").length;
  const pos = (path: PathSegment[], anchor: "key" | "value" = "value"): SourcePosition => ({ file, ...locator.position(path, anchor) });
  const ck: Checker = { catalog, pos, report: (severity, code, path, message) => out.push({ severity, code, ...pos(path), path: formatPath(path), message }) };
  const { spec } = raw;
  const source = resolveSku(ck, ["spec", "source", "sku"], spec.source.sku);
  const target = resolveSku(ck, ["spec", "target", "sku"], spec.target.sku);
  const allowFeatureLoss = spec.allowFeatureLoss ?? false;
  checkTarget(ck, source, ["spec", "target", "sku"], target, allowFeatureLoss);
  const defaults = { source, target, allowFeatureLoss, decommission: planDecommission(ck, spec) };
  const customers = checkCustomers(ck, spec, defaults);
  const failed = out.filter((d) => d.severity === "error").length > before;
  return {
    name: raw.metadata.name,
    nameAt: pos(["metadata", "name"]),
    customers: spec.customers.map((c, i) => ({ id: c.id.toLowerCase(), at: pos(["spec", "customers", i, "id"]) })),
    plan:
      failed || !source || !target
        ? undefined
        : {
            file,
            name: raw.metadata.name,
            ...(raw.metadata.description !== undefined ? { description: raw.metadata.description } : {}),
            source: skuRef(source),
            target: skuRef(target),
            customers,
            suspendSource: spec.suspendSource ?? true,
            seats: spec.seats ?? "users",
            allowFeatureLoss,
            at: pos([]),
          },
  };
}

function resolveSku(ck: Checker, path: PathSegment[], ref: string): CatalogSku | undefined {
  const found = ck.catalog.candidates(ref);
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    const ids = found.map((s) => `${s.skuId} (${s.displayName})`).join(", ");
    ck.report("error", "ambiguous-sku", path, `SKU "${ref}" is ambiguous: it names ${found.length} SKUs, ${ids}; use the skuId`);
    return undefined;
  }
  const guess = ck.catalog.suggest(ref);
  ck.report("error", "unknown-sku", path, `unknown SKU "${ref}"${guess ? ` (did you mean "${guess}"?)` : ""}`);
  return undefined;
}

/** Feature coverage and "source is target", once per distinct target and place it is named. */
function checkTarget(ck: Checker, source: CatalogSku | undefined, path: PathSegment[], t: CatalogSku | undefined, allowFeatureLoss: boolean): void {
  if (!source || !t) return;
  if (t.skuId === source.skuId) {
    ck.report("error", "same-sku", path, `target is the source SKU (${source.skuPartNumber}): nothing would change`);
    return;
  }
  const lost = ck.catalog.missingFeatures(source.skuId, t.skuId);
  if (lost.length === 0) return;
  const names = lost.map((p) => `${p.displayName} (${p.name})`).join(", ");
  if (allowFeatureLoss) {
    ck.report(
      "warning",
      "feature-loss",
      path,
      `users lose features of ${source.skuPartNumber} moving to ${t.skuPartNumber}: ${names} (accepted by allowFeatureLoss)`,
    );
  } else {
    ck.report(
      "error",
      "feature-loss",
      path,
      `${t.skuPartNumber} does not cover ${source.skuPartNumber}: it lacks ${names}; choose a target that includes them or set spec.allowFeatureLoss: true`,
    );
  }
}

function planDecommission(ck: Checker, spec: RawPlan["spec"]): DecommissionMethod {
  if (spec.suspendSource !== undefined && spec.decommission !== undefined) {
    ck.report(
      "error",
      "conflicting-fields",
      ["spec", "decommission"],
      "decommission replaces suspendSource: give one of the two (suspendSource: true is decommission: auto, false is keep)",
    );
  }
  return spec.decommission ?? (spec.suspendSource === false ? "keep" : "auto");
}

interface PlanDefaults {
  source: CatalogSku | undefined;
  target: CatalogSku | undefined;
  allowFeatureLoss: boolean;
  decommission: DecommissionMethod;
}

/** Each customer entry over the plan's defaults; those whose target is unknown are left out (their error is reported). */
function checkCustomers(ck: Checker, spec: RawPlan["spec"], defaults: PlanDefaults): PlanCustomer[] {
  const customers: PlanCustomer[] = [];
  const firstIndex = new Map<string, number>();
  spec.customers.forEach((c, i) => {
    const base: PathSegment[] = ["spec", "customers", i];
    const id = c.id.toLowerCase();
    const seen = firstIndex.get(id);
    if (seen !== undefined) {
      const first = ck.pos(["spec", "customers", seen, "id"]);
      ck.report("error", "duplicate-customer", [...base, "id"], `customer ${id} is already listed at spec.customers[${seen}] (line ${first.line})`);
    } else firstIndex.set(id, i);
    let target = defaults.target;
    if (c.target) {
      target = resolveSku(ck, [...base, "target", "sku"], c.target.sku);
      checkTarget(ck, defaults.source, [...base, "target", "sku"], target, defaults.allowFeatureLoss);
    }
    const exclude = checkExcludes(ck, base, c.exclude ?? []);
    const purchase = purchaseOf(ck, spec, base, c.purchase, target);
    if (!target) return;
    customers.push({
      id,
      ...(c.name !== undefined ? { name: c.name } : {}),
      target: skuRef(target),
      exclude,
      seats: c.seats ?? spec.seats ?? "users",
      decommission: c.decommission ?? defaults.decommission,
      purchase,
      strategy: c.strategy ?? spec.strategy ?? "purchase",
      groups: c.groups ?? spec.groups ?? "migrate",
      servicePlans: c.servicePlans ?? spec.servicePlans ?? "keep",
      usageLocation: c.usageLocation ?? spec.usageLocation,
      at: ck.pos(base),
    });
  });
  return customers;
}

/** Excluded users, lowercased: each a user principal name, each once. */
function checkExcludes(ck: Checker, base: PathSegment[], upns: readonly string[]): string[] {
  const exclude: string[] = [];
  upns.forEach((upn, j) => {
    const path = [...base, "exclude", j];
    if (!UPN.test(upn)) {
      ck.report("error", "invalid-upn", path, `"${upn}" is not a user principal name (expected user@domain, e.g. ceo@fabrikam.onmicrosoft.com)`);
      return;
    }
    const lower = upn.toLowerCase();
    if (exclude.includes(lower)) ck.report("warning", "duplicate-exclude", path, `${lower} is already excluded`);
    else exclude.push(lower);
  });
  return exclude;
}

/** The customer's purchase settings over the plan's, checked where they are written. */
function purchaseOf(ck: Checker, spec: RawPlan["spec"], base: PathSegment[], over: RawPurchase | undefined, target: CatalogSku | undefined): PurchaseSettings {
  const merged = { ...spec.purchase, ...over };
  const at = (field: keyof RawPurchase): PathSegment[] => (over?.[field] !== undefined ? [...base, "purchase", field] : ["spec", "purchase", field]);
  const settings: PurchaseSettings = {
    term: merged.term ?? "P1Y",
    billing: merged.billing ?? "monthly",
    country: merged.country,
    catalogItem: merged.catalogItem,
    commerce: merged.commerce ?? "auto",
    ...(merged.termEnd !== undefined && merged.termEnd !== "none" ? { termEnd: merged.termEnd } : {}),
  };
  if (!billingOffered(settings.term, settings.billing)) {
    ck.report(
      "error",
      "billing-for-term",
      at(merged.billing !== undefined ? "billing" : "term"),
      `a ${settings.term} term is not billed ${settings.billing}: ${BILLING_FOR_TERM[settings.term].join(" or ")}`,
    );
  }
  if (settings.catalogItem !== undefined && target) {
    const known = nceCatalogItemOf(settings.catalogItem);
    if (known && known.skuId !== target.skuId) {
      ck.report(
        "error",
        "catalog-item-mismatch",
        at("catalogItem"),
        `catalog item ${settings.catalogItem} is ${known.title} (${known.skuPartNumber}), not the target ${target.skuPartNumber}`,
      );
    }
    if (settings.commerce === "legacy")
      ck.report("error", "conflicting-fields", at("catalogItem"), "catalogItem names a new-commerce product, but commerce is legacy");
  }
  return settings;
}

const skuRef = (s: CatalogSku): SkuRef => ({ skuId: s.skuId, skuPartNumber: s.skuPartNumber, displayName: s.displayName });

/** The billing cycles new commerce offers per term (purchase-new-commerce-license-based). */
const BILLING_FOR_TERM: Record<Term, readonly BillingCycle[]> = { P1M: ["monthly"], P1Y: ["monthly", "annual"], P3Y: ["monthly", "annual", "triennial"] };

function billingOffered(term: Term, billing: BillingCycle): boolean {
  return BILLING_FOR_TERM[term].includes(billing);
}
