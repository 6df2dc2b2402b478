/**
 * What a plan costs, per customer and in total, as src/costs/ computes it: plain data, below both
 * the figures' maker (costs/) and the pages that show them (render/html/costs.ts).
 */
export interface CustomerCost {
  customerId: string;
  name: string;
  /** Added to the monthly bill now (new seats, net of a converted source). */
  monthlyIncrease: number;
  /** Paid for the source while the target is already paid, until the source ends. */
  overlap: number;
  /** Given back by cancelling the source inside its window. */
  refund: number;
  /** What scheduling at renewal saves against buying now. */
  saving: number;
  /** Lines of the sums, for the preview. */
  details: string[];
  /** What the list does not price. */
  missing: string[];
}

export interface CostReport {
  currency: string;
  source: string;
  customers: CustomerCost[];
  total: { monthlyIncrease: number; overlap: number; refund: number; saving: number };
  /** Why nothing could be priced (the price sheet API could not be read); absent when a list priced the plan. */
  unpriced?: string;
}
