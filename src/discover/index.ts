export type { CustomerDeadline, DiscoveredCustomer, SourceSubscription } from "./types.js";
export { findSourceHolders, type FindHoldersOptions } from "./find-holders.js";
export {
  customerComment,
  deadlineOf,
  planNameFor,
  renderPlanSkeleton,
  selectAndSort,
  type DiscoveredEntry,
  type SkeletonOptions,
  type SkeletonSku,
} from "./render-skeleton.js";
