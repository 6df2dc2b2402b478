/**
 * Scale: `pcplan plan --format json` (the built CLI, default flags) on a generated world of
 * 10,000 customers / 250,000 users served by a sandbox child, its output written to a file as it
 * goes. Peak memory is the CLI process's own, as the kernel counts it (`/usr/bin/time -v`:
 * maximum resident set size), not the bench's, which also holds the generated world.
 */
import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdtemp, open, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SANDBOX_TOKENS } from "../src/sandbox/index.js";
import { NOW, lowerBound, preparedWorld, startSandboxChild, type EngineBenchOptions } from "./engine.js";

const BIN = resolve(import.meta.dirname, "..", "bin", "pcplan.js");

export interface ScaleRun {
  planned: number;
  wallMs: number;
  boundMs: number;
  boundKind: string;
  minimum: number;
  requests: number;
  throttled: number;
  /** The CLI's peak resident set (bytes). */
  peakRss: number;
  exit: number | null;
  /** The JSON written, and the customers it lists. */
  outputBytes: number;
  customersInOutput: number;
}

interface Timed {
  code: number | null;
  stderr: string;
  ms: number;
}

function timedCli(args: string[], out: string, cwd: string): Promise<Timed> {
  return open(out, "w").then(async (file) => {
    const start = performance.now();
    const child = spawn("/usr/bin/time", ["-v", process.execPath, BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", CI: "true", PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin },
      stdio: ["ignore", file.fd, "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((ok) => child.once("exit", ok));
    await file.close();
    return { code, stderr, ms: performance.now() - start };
  });
}

/** Customers in the JSON preview, counted on the stream (each customer's `"plan":` key at its indent). */
async function customersIn(file: string): Promise<number> {
  let n = 0;
  let tail = "";
  for await (const chunk of createReadStream(file, { encoding: "utf8" })) {
    const text = tail + (chunk as string);
    n += text.split('\n      "plan": ').length - 1;
    tail = text.slice(-14); // shorter than the key: nothing counted twice
  }
  return n;
}

export async function benchScale(o: EngineBenchOptions): Promise<ScaleRun> {
  const dir = await mkdtemp(join(tmpdir(), "pcplan-bench-scale-"));
  const sandbox = await startSandboxChild(o);
  try {
    const { minimum } = await preparedWorld(o, join(dir, "plans"));
    const out = join(dir, "plan.json");
    const r = await timedCli(["plan", "plans", "--format", "json", "--endpoint", sandbox.url, "--now", NOW, "--verbose"], out, dir);
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    const traffic = /Requests: (\d+) \(\d+ retries, (\d+) throttled/.exec(r.stderr);
    if (!rss || !traffic) throw new Error(`pcplan plan (exit ${r.code}) printed no traffic line or no peak memory:\n${r.stderr.slice(-2000)}`);
    const bound = lowerBound(o, minimum);
    return {
      planned: minimum.perCustomer.size,
      wallMs: r.ms,
      boundMs: bound.ms,
      boundKind: bound.kind,
      minimum: minimum.total,
      requests: Number(traffic[1]),
      throttled: Number(traffic[2]),
      peakRss: Number(rss[1]) * 1024,
      exit: r.code,
      outputBytes: (await stat(out)).size,
      customersInOutput: await customersIn(out),
    };
  } finally {
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
