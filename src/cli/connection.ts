import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { PartnerCenterApi } from "../partner-center/api.js";
import { createPartnerCenterClient } from "../partner-center/client.js";
import type { ClientEvent, ClientStats } from "../partner-center/events.js";
import { tokenProviderFromEnv } from "../partner-center/auth.js";
import { DEMO_FIXTURE_PATH, SANDBOX_TOKENS, loadFixture, startSandbox } from "../sandbox/index.js";

export interface ConnectionOptions {
  sandbox?: boolean;
  endpoint?: string;
  maxRps?: number;
  /** Sandbox clock (the demo's deadlines and deprovisioning follow it). */
  clock?: string;
}

export interface Connection {
  /** `stats()`: calls, 429s, the rate reached, time spent waiting; `currentRps` for a progress display. */
  api: PartnerCenterApi & { stats(): ClientStats };
  endpoint: string;
  close(): Promise<void>;
}

/**
 * `--sandbox` starts the demo Partner Center in-process on an ephemeral port, its state kept in
 * `.pcplan/` so `plan --sandbox` then `apply --sandbox` see the same world; otherwise the real
 * (or configured) endpoint with credentials from the environment.
 */
export async function connect(opts: ConnectionOptions, cwd = process.cwd()): Promise<Connection> {
  const maxRps = opts.maxRps;
  if (opts.sandbox) {
    const dir = join(cwd, ".pcplan");
    await mkdir(dir, { recursive: true });
    const sandbox = await startSandbox({
      fixture: await loadFixture(DEMO_FIXTURE_PATH),
      port: 0,
      statePath: join(dir, "sandbox-state.json"),
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
    const api = createPartnerCenterClient({ endpoint: sandbox.url, token: () => Promise.resolve(SANDBOX_TOKENS.admin), onEvent: announceWaits, ...(maxRps ? { maxRps } : {}) });
    return { api, endpoint: "sandbox (demo world)", close: () => sandbox.close() };
  }
  const endpoint = opts.endpoint ?? process.env.PARTNER_CENTER_ENDPOINT ?? "https://api.partnercenter.microsoft.com/v1";
  const api = createPartnerCenterClient({ endpoint, token: tokenProviderFromEnv(process.env), onEvent: announceWaits, ...(maxRps ? { maxRps } : {}) });
  return { api, endpoint, close: () => Promise.resolve() };
}

/** A long wait is never silent: "waiting 60 s: Partner Center asked to retry GET /v1/… after 60 s". */
function announceWaits(e: ClientEvent): void {
  if (e.type === "waiting") process.stderr.write(`waiting ${Math.round(e.delayMs / 1000)} s: ${e.reason}\n`);
}
