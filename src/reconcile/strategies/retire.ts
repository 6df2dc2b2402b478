import type { DecommissionMethod } from "../../plan-file/types.js";
import type { Retirer } from "./types.js";

const suspend: Retirer = {
  retire(s, { plan }) {
    return { action: { kind: "suspend", subscriptionId: s.id, sku: plan.source, quantity: s.quantity, commitmentEndDate: s.commitmentEndDate ?? null } };
  },
};

const keep: Retirer = { retire: () => ({ none: true }) };

/** The retirement strategy for a decommission method (SPEC §9). */
export function retirerFor(method: DecommissionMethod): Retirer {
  switch (method) {
    case "keep":
      return keep;
    case "auto":
    case "suspend":
      return suspend;
  }
}
