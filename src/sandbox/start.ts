/**
 * Starting a sandbox: the world (a saved state, else the fixture), its core, and two listeners
 * on 127.0.0.1 running the shared pipeline — Partner Center over HTTP, Microsoft Graph and the
 * token endpoint over HTTPS with the fixed test certificate — over the same world, so a licence
 * changed through one API is seen by the other.
 */
import { mkdir, readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { dirname } from "node:path";
import { PcplanError } from "../errors.js";
import { Clock } from "./clock.js";
import { SandboxCore } from "./core.js";
import { DEMO_PRICES_PATH, fixtureReferenceErrors } from "./fixture.js";
import { graphAdapter } from "./graph/adapter.js";
import { SANDBOX_CERT_PATH, sandboxTls } from "./graph/tls.js";
import { partnerCenterAdapter } from "./partner-center/adapter.js";
import { loadState } from "./persist.js";
import { closeServer, listen, pipeline } from "./pipeline.js";
import { WorldState } from "./state.js";
import type { SandboxHandle, SandboxOptions, SandboxWorld } from "./types.js";
import { worldFromFixture } from "./world-from-fixture.js";

/** A saved state as it was left; else the fixture, its relative dates read on the sandbox clock as it starts. */
async function initialWorld(opts: SandboxOptions, clock: Clock): Promise<SandboxWorld> {
  // The state file's folder is made if missing (`--state .pcplan/sandbox.json` in a fresh clone).
  if (opts.statePath !== undefined) await mkdir(dirname(opts.statePath), { recursive: true });
  const saved = opts.statePath !== undefined ? await loadState(opts.statePath) : undefined;
  if (saved) return saved;
  const errors = fixtureReferenceErrors(opts.fixture);
  if (errors.length > 0) throw new PcplanError("SANDBOX_FIXTURE_INVALID", `invalid sandbox fixture:\n  ${errors.join("\n  ")}`);
  return worldFromFixture(opts.fixture, opts.seed ?? 1, clock.startMs);
}

export async function startSandbox(opts: SandboxOptions): Promise<SandboxHandle> {
  const clock = new Clock(opts.clock, opts.clockSkew);
  const core = new SandboxCore(new WorldState(await initialWorld(opts, clock)), clock, opts);
  // A fresh world is written at once, so a restart sees the same generated ids.
  await core.persist();

  const paging = { defaultSize: opts.defaultPageSize ?? 5, maxSize: opts.maxPageSize ?? 500 };
  const priceSheet = opts.priceSheet === undefined ? await readFile(DEMO_PRICES_PATH, "utf8") : opts.priceSheet;
  const partnerCenter = createServer(pipeline(core, partnerCenterAdapter(core, paging, priceSheet)));
  const port = await listen(partnerCenter, opts.port ?? 0);
  let origin = "";
  const graph = createHttpsServer(
    sandboxTls(),
    pipeline(
      core,
      graphAdapter(core, () => origin),
    ),
  );
  const graphPort = await listen(graph, opts.graphPort ?? 0).catch(async (err: unknown) => {
    await closeServer(partnerCenter);
    throw err;
  });
  origin = `https://127.0.0.1:${graphPort}`;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    graph: { endpoint: origin, port: graphPort, caPath: SANDBOX_CERT_PATH },
    requestLog: core.requestLog,
    changes: core.changes,
    world: () => structuredClone(core.state.world),
    setClock: (iso) => core.setClock(iso),
    setDelays: (d) => core.setDelays(d),
    setFaults: (f) => core.setFaults(f),
    async close() {
      await closeServer(graph);
      await closeServer(partnerCenter);
      await core.flush();
    },
  };
}
