/** What `pcplan discover` learns about one customer holding the source SKU. Plain data. */
export interface SourceSubscription {
  id: string;
  quantity: number;
  status: string;
  autoRenewEnabled: boolean;
  commitmentEndDate: string | undefined;
}

export interface DiscoveredCustomer {
  /** Lowercase customer tenant id. */
  id: string;
  name: string;
  domain: string;
  /** Users holding the source: the subscribed SKU's consumedUnits (no per-user reads). */
  sourceUsers: number;
  /** Subscriptions whose offer provisions the source SKU, active or not. */
  subscriptions: SourceSubscription[];
}

/** A discovered customer with its deadline worked out (see `describeDeadline`). */
export interface CustomerDeadline {
  /**
   * Earliest end date of the retiring source subscriptions (active, autoRenewEnabled = false),
   * as Partner Center documents; else of any active source subscription (it auto-renews).
   */
  endDate: string | undefined;
  /** Whole days from now to endDate; negative once past. */
  daysLeft: number | undefined;
  /** At least one active source subscription no longer auto-renews. */
  retiring: boolean;
  /** At least one active source subscription still auto-renews. */
  autoRenewing: boolean;
  activeSubscriptions: number;
}
