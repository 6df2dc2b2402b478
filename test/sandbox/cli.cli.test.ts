import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SANDBOX_TOKENS } from "../../src/sandbox/index.js";
import { BIN } from "../helpers/cli.js";

interface Running {
  child: ChildProcessWithoutNullStreams;
  firstLine: Promise<string>;
  stderr: () => string;
  exit: Promise<number | null>;
}

function spawnSandbox(args: string[], cwd?: string): Running {
  const child = spawn(process.execPath, [BIN, "sandbox", ...args], { stdio: ["pipe", "pipe", "pipe"], ...(cwd ? { cwd } : {}) });
  let out = "";
  let err = "";
  const firstLine = new Promise<string>((res, rej) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0) res(out.slice(0, nl));
    });
    child.on("close", () => rej(new Error(`exited before printing a URL; stderr:\n${err}`)));
  });
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((res) => child.on("close", (code) => res(code)));
  return { child, firstLine, stderr: () => err, exit };
}

let running: Running | undefined;
let dir: string | undefined;
afterEach(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill("SIGKILL");
    await running.exit;
  }
  running = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("pcplan sandbox (child process)", () => {
  it("prints the base URL first, serves the demo world, persists state and stops cleanly on SIGTERM", async () => {
    dir = await mkdtemp(join(tmpdir(), "pcplan-cli-"));
    const state = join(dir, "state.json");
    running = spawnSandbox(["--state", state, "--clock", "2026-11-24T00:00:00Z", "--seed", "7"]);
    const url = await running.firstLine;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);

    const res = await fetch(`${url}/customers?size=100`, { headers: { Authorization: `Bearer ${SANDBOX_TOKENS.admin}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(18);
    expect(running.stderr()).toContain("18 customers");
    expect(running.stderr()).toContain("commerce delays: none");
    expect(running.stderr()).not.toContain(SANDBOX_TOKENS.admin);

    running.child.kill("SIGTERM");
    expect(await running.exit).toBe(0);
    expect(JSON.parse(await readFile(state, "utf8")).formatVersion).toBe(2);
  });

  it("--state .pcplan/sandbox.json in a fresh clone makes the folder and keeps the state there", async () => {
    dir = await mkdtemp(join(tmpdir(), "pcplan-cli-"));
    running = spawnSandbox(["--state", ".pcplan/sandbox.json"], dir);
    expect(await running.firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    running.child.kill("SIGTERM");
    expect(await running.exit).toBe(0);
    expect(running.stderr()).toContain("state: .pcplan/sandbox.json");
    expect(JSON.parse(await readFile(join(dir, ".pcplan/sandbox.json"), "utf8")).formatVersion).toBe(2);
  });

  it("serves a generated world with a new-commerce share and commerce delays", async () => {
    running = spawnSandbox(["--generate", "customers=12,users=100,nce=1", "--provisioning-delay", "60000", "--transition-delay", "5000"]);
    const url = await running.firstLine;
    const auth = { Authorization: `Bearer ${SANDBOX_TOKENS.helpdesk}` };
    const res = await fetch(`${url}/customers?size=50`, { headers: auth });
    const customers = ((await res.json()) as { items: { id: string }[] }).items;
    expect(customers).toHaveLength(12);
    const subs = await fetch(`${url}/customers/${customers[0].id}/subscriptions`, { headers: auth });
    expect(((await subs.json()) as { items: { offerId: string }[] }).items.every((s) => s.offerId.split(":").length === 3)).toBe(true);
    expect(running.stderr()).toContain("commerce delays: provisioning 60000ms, transitions 5000ms");
  });

  it("serves a generated world, with a per-customer rate limit when asked", async () => {
    running = spawnSandbox(["--generate", "customers=12,users=100", "--rate-limit-customer", "3/s"]);
    const url = await running.firstLine;
    const res = await fetch(`${url}/customers?size=50`, { headers: { Authorization: `Bearer ${SANDBOX_TOKENS.helpdesk}` } });
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(12);
    expect(running.stderr()).toContain("rate limit 3/s per customer");
  });

  it("rejects bad flags with a clear message and exit code 1", async () => {
    for (const [args, message] of [
      [["--fault-rate", "2"], "expected a probability from 0 to 1"],
      [["--generate", "customers=x"], "expected customers=N,users=M"],
      [["--generate", "customers=3,users=9,nce=1.5"], "P from 0 to 1"],
      [["--provisioning-delay", "-1"], 'expected an integer ≥ 0, got "-1"'],
      [["--fixture", "/no/such/file.json"], "cannot read sandbox fixture"],
    ] as const) {
      running = spawnSandbox([...args]);
      running.firstLine.catch(() => undefined);
      expect(await running.exit).toBe(1);
      expect(running.stderr()).toContain(message);
    }
  });
});
