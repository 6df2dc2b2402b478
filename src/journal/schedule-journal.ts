/**
 * pcplan's record of the changes it scheduled for a subscription's renewal
 * (`.pcplan/schedules.jsonl`). Partner Center keeps a scheduled change on the subscription
 * itself (`scheduledNextTermInstructions`), and deletes it when anyone makes a mid-term change
 * before the renewal (create-scheduled-changes: "If you make a mid-term (immediate) change before
 * your renewal date, all scheduled changes that were previously scheduled to occur at renewal are
 * deleted", https://learn.microsoft.com/partner-center/developer/create-scheduled-changes). The
 * subscription alone cannot tell a change that was dropped from one never made: this journal can.
 * A line is written only once Partner Center accepted the change, so a run killed before that
 * leaves no claim behind. Without the file (a CI runner without cache) nothing is lost but the
 * warning: the next run sees no change on the subscription and schedules it again.
 */
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";

/** One change scheduled (the live model's `ScheduleRecord` has the same shape). */
export interface ScheduleRecord {
  time: string;
  subscriptionId: string;
  /** `productId:skuId:availabilityId` it was to renew into. */
  catalogItemId: string;
  /** The term end it was scheduled for. */
  renewsOn: string;
}

export interface ScheduleJournal {
  /** A customer's records, oldest first. */
  entries(customerId: string): Promise<ScheduleRecord[]>;
  append(customerId: string, record: Omit<ScheduleRecord, "time">): Promise<void>;
}

interface Line extends ScheduleRecord {
  customerId: string;
}

export function fileScheduleJournal(path: string, now: () => number = Date.now): ScheduleJournal {
  let loaded: Promise<Line[]> | undefined;
  const load = () =>
    (loaded ??= readFile(path, "utf8").then(
      (text) => text.split("\n").flatMap(parseLine),
      (err: unknown) => {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw err;
      },
    ));
  return {
    async entries(customerId) {
      return (await load()).filter((l) => l.customerId === customerId).map(({ customerId: _c, ...r }) => r);
    },
    async append(customerId, record) {
      const line: Line = { time: new Date(now()).toISOString(), customerId, ...record };
      (await load()).push(line);
      await mkdir(dirname(path), { recursive: true });
      await appendFile(path, JSON.stringify(line) + "\n", "utf8");
    },
  };
}

function parseLine(text: string): Line[] {
  try {
    const l = JSON.parse(text) as Partial<Line>;
    const ok = [l.time, l.customerId, l.subscriptionId, l.catalogItemId, l.renewsOn].every((v) => typeof v === "string");
    return ok ? [l as Line] : [];
  } catch {
    return []; // a blank line, or one cut by a crash: the subscription itself still has the truth
  }
}
