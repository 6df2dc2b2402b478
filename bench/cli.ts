/**
 * `pcplan` as a user runs it: the built CLI in its own process, default flags (no `--max-rps`,
 * no `--concurrency`), timed around the whole command — Node's start and the plans' loading
 * included — against a generated world in a sandbox child. Also its cold start: `--version`, and
 * the time from starting `plan` to its first request on the wire.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SANDBOX_APPS, SANDBOX_CERT_PATH, SANDBOX_TOKENS, generateWorld } from "../src/sandbox/index.js";
import { writeWorldPlans } from "../test/helpers/world-plans.js";
import { SEED, lowerBound, minimumCalls, startSandboxChild, type EngineBenchOptions } from "./engine.js";

const BIN = resolve(import.meta.dirname, "..", "bin", "pcplan.js");

export interface CliRun {
  wallMs: number;
  boundMs: number;
  exit: number | null;
  /** From `--verbose`: requests sent (retries included) and 429s. */
  requests: number;
  throttled: number;
  /** The minimum calls of the world and plans. */
  minimum: number;
  graph: boolean;
}

interface Exit {
  code: number | null;
  stderr: string;
  ms: number;
}

function runCli(args: string[], env: Record<string, string>, cwd: string): Promise<Exit> {
  const start = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", CI: "true", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((ok) => child.once("exit", (code) => ok({ code, stderr, ms: performance.now() - start })));
}

/** `pcplan plan` with default flags; licences through Graph when `graph` (app credentials given), else Partner Center (a token only). */
export async function benchCli(o: EngineBenchOptions, graph: boolean): Promise<CliRun> {
  const dir = await mkdtemp(join(tmpdir(), "pcplan-bench-cli-"));
  const sandbox = await startSandboxChild(o);
  try {
    const world = generateWorld({ customers: o.customers, users: o.users, seed: SEED });
    const written = await writeWorldPlans(world, join(dir, "plans"));
    const minimum = minimumCalls(world, new Set(written.customerIds));
    const app = SANDBOX_APPS.admin;
    const env: Record<string, string> = graph
      ? { AZURE_TENANT_ID: world.partner.id, AZURE_CLIENT_ID: app.clientId, AZURE_CLIENT_SECRET: app.clientSecret, AZURE_AUTHORITY_HOST: sandbox.graph }
      : { PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin };
    if (graph) Object.assign(env, { GRAPH_ENDPOINT: sandbox.graph, NODE_EXTRA_CA_CERTS: SANDBOX_CERT_PATH, PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin });
    const r = await runCli(["plan", "plans", "--endpoint", sandbox.url, "--now", "2026-11-24T00:00:00Z", "--verbose"], env, dir);
    const traffic = /Requests: (\d+) \(\d+ retries, (\d+) throttled/.exec(r.stderr);
    if (!traffic) throw new Error(`pcplan plan printed no traffic line (exit ${r.code}):\n${r.stderr.slice(-2000)}`);
    const graphLine = /Licences through Microsoft Graph: (\d+) requests \(\d+ retries, (\d+) throttled/.exec(r.stderr);
    return {
      wallMs: r.ms,
      boundMs: lowerBound(o, minimum).ms + o.latencyMs,
      exit: r.code,
      requests: Number(traffic[1]) + Number(graphLine?.[1] ?? 0),
      throttled: Number(traffic[2]) + Number(graphLine?.[2] ?? 0),
      minimum: minimum.total,
      graph: graphLine !== null,
    };
  } finally {
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export interface ColdStart {
  /** `pcplan --version`, whole process. */
  versionMs: number;
  /** From starting `pcplan plan` to its first request arriving on the wire. */
  firstRequestMs: number;
}

/** The CLI's own start: `--version`, and `plan` up to its first request (a local server answers it, then the process is stopped). */
export async function benchColdStart(plansDir: string): Promise<ColdStart> {
  const version = await runCli(["--version"], {}, plansDir);
  let first = 0;
  let started: number;
  const server = createServer((_req, res) => {
    first ||= performance.now();
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ totalCount: 0, items: [] }));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    started = performance.now();
    await runCli(["plan", ".", "--endpoint", url, "--now", "2026-11-24T00:00:00Z"], { PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin }, plansDir);
  } finally {
    await new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok())));
  }
  return { versionMs: version.ms, firstRequestMs: first - started };
}
