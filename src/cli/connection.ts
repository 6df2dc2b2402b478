import { join } from "node:path";
import { fileJournal, type PurchaseJournal } from "../apply/purchase-journal.js";
import type { LicenseBackendFactory } from "../licenses/backend.js";
import { partnerCenterLicenses } from "../licenses/partner-center-backend.js";
import { createPartnerCenterClient, type PartnerCenterClient } from "../partner-center/client.js";
import type { ClientEvent } from "../partner-center/events.js";
import { tokenProviderFromEnv } from "../partner-center/auth.js";
import { validatedApi } from "../partner-center/validated-api.js";
import { DEMO_FIXTURE_PATH, SANDBOX_TOKENS, loadFixture, startSandbox } from "../sandbox/index.js";
import { acquireLock } from "../util/lock-file.js";
import type { Io } from "./io.js";

export interface ConnectionOptions {
  sandbox?: boolean;
  endpoint: string;
  maxRps?: number;
  /** Sandbox clock (the demo's deadlines and deprovisioning follow it). */
  clock?: string;
}

export interface Connection {
  api: PartnerCenterClient;
  /** Where licence state is read and changed. */
  licenses: LicenseBackendFactory;
  /** What the plans were read from, as saved plans record it (no credentials in it). */
  endpoint: string;
  close(): Promise<void>;
}

/** Where `--sandbox` keeps its world and pcplan its audit log, journal of purchases and locks. */
export const STATE_DIR = ".pcplan";

/** pcplan's journal of the carts and orders it placed (docs/new-commerce.md), read by plan and apply. */
export function purchaseJournal(cwd = process.cwd()): PurchaseJournal {
  return fileJournal(join(cwd, STATE_DIR, "purchases.jsonl"));
}

/**
 * `--sandbox` starts the demo Partner Center in-process on an ephemeral port, its state kept in
 * `.pcplan/` so `plan --sandbox` then `apply --sandbox` see the same world. Only one process at
 * a time may serve that state (two would each write their own copy and lose the other's writes),
 * so it is locked while the sandbox runs. Otherwise the given endpoint, with credentials from
 * the environment.
 */
export async function connect(io: Io, opts: ConnectionOptions, cwd = process.cwd()): Promise<Connection> {
  const maxRps = opts.maxRps;
  if (opts.sandbox) {
    const dir = join(cwd, STATE_DIR);
    const statePath = join(dir, "sandbox-state.json");
    const lock = await acquireLock(`${statePath}.lock`, "another pcplan --sandbox");
    try {
      const sandbox = await startSandbox({
        fixture: await loadFixture(DEMO_FIXTURE_PATH),
        port: 0,
        statePath,
        ...(opts.clock ? { clock: opts.clock } : {}),
      });
      const api = validatedApi(
        createPartnerCenterClient({ endpoint: sandbox.url, token: () => Promise.resolve(SANDBOX_TOKENS.admin), onEvent: announceWaits(io), ...(maxRps ? { maxRps } : {}) }),
      );
      return {
        api,
        licenses: (limit) => partnerCenterLicenses(api, limit),
        endpoint: "sandbox (demo world)",
        close: async () => {
          await sandbox.close();
          await lock.release();
        },
      };
    } catch (err) {
      await lock.release();
      throw err;
    }
  }
  // The client refuses an endpoint with user:password@ before any request (src/partner-center/client.ts).
  // Every answer the engine decides on is checked against its schema first (src/partner-center/response-schemas.ts).
  const api = validatedApi(
    createPartnerCenterClient({ endpoint: opts.endpoint, token: tokenProviderFromEnv(process.env), onEvent: announceWaits(io), ...(maxRps ? { maxRps } : {}) }),
  );
  return { api, licenses: (limit) => partnerCenterLicenses(api, limit), endpoint: opts.endpoint.replace(/\/+$/, ""), close: () => Promise.resolve() };
}

/** A long wait is never silent: "waiting 60 s: Partner Center asked to retry GET /v1/… after 60 s". */
function announceWaits(io: Io): (e: ClientEvent) => void {
  return (e) => {
    if (e.type === "waiting") io.err(`waiting ${Math.round(e.delayMs / 1000)} s: ${e.reason}\n`);
  };
}
