/**
 * Actions of two kinds as tests build them by hand (a change at renewal, a group's licence
 * change): the fields no test cares about filled in once, the ones it does given.
 */
import type { GroupLicenseAction } from "../../src/actions/group-license.js";
import type { ScheduleAction } from "../../src/actions/schedule.js";

type Required<T, K extends keyof T> = Pick<T, K> & Partial<T>;

/** Four seats renewing 2027-03-01 yearly, billed annually, for three users, replacing no earlier schedule. */
export const scheduleAction = (a: Required<ScheduleAction, "subscriptionId" | "from" | "to" | "toCatalogItemId">): ScheduleAction => ({
  kind: "schedule",
  quantity: 4,
  term: "P1Y",
  billing: "annual",
  renewsOn: "2027-03-01T00:00:00Z",
  users: 3,
  replaces: null,
  ...a,
});

/** The group "Editorial" (id g1, three members, assigned), nothing disabled. */
export const groupLicenseAction = (a: Required<GroupLicenseAction, "assign" | "remove">): GroupLicenseAction => ({
  kind: "group-license",
  groupId: "g1",
  name: "Editorial",
  members: 3,
  dynamic: false,
  disabledPlans: [],
  ...a,
});
