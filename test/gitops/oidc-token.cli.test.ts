import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renewalDelay } from "../../scripts/with-github-oidc-token.js";
import { REPO } from "../helpers/cli.js";
import { runProcess, type ProcessResult } from "../helpers/run-process.js";

/**
 * scripts/with-github-oidc-token.ts, which the apply workflows wrap pcplan with, against a
 * wire-level stand-in for GitHub's OIDC token service on 127.0.0.1 (the real one exists only
 * inside a GitHub Actions job). Its tokens are JWT-shaped and expire 2 s after issue, so the
 * wrapper renews one while the command runs.
 */
const SCRIPT = join(REPO, "scripts", "with-github-oidc-token.ts");
const REQUEST_TOKEN = "actions-request-token-123";

/** The wrapped command: reads the token file, waits until it is replaced, reports both, exits 7. */
const CHILD = `
const fs = require("node:fs");
const file = process.env.AZURE_FEDERATED_TOKEN_FILE;
const first = fs.readFileSync(file, "utf8");
const mode = fs.statSync(file).mode & 0o777;
const wait = setInterval(() => {
  const now = fs.readFileSync(file, "utf8");
  if (now === first) return;
  clearInterval(wait);
  process.stdout.write(JSON.stringify({ file, first, second: now, mode }));
  process.exit(7);
}, 50);
`;

const jwt = (n: number, expSeconds: number) =>
  [{ alg: "RS256" }, { sub: "repo:o/r:environment:partner-center", n, exp: expSeconds }]
    .map((part) => Buffer.from(JSON.stringify(part)).toString("base64url"))
    .concat("sig")
    .join(".");

let server: Server;
let requests: IncomingMessage[];
let issued: string[];
let status: number;
let url: string;
let runnerTemp: string;

beforeEach(async () => {
  requests = [];
  issued = [];
  status = 200;
  server = createServer((req, res) => {
    requests.push(req);
    if (status !== 200) {
      res.writeHead(status).end();
      return;
    }
    const token = jwt(issued.length + 1, Math.floor(Date.now() / 1000) + 2);
    issued.push(token);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ count: 1, value: token }));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token?api-version=2.0`;
  runnerTemp = await mkdtemp(join(tmpdir(), "pcplan-runner-temp-"));
});

afterEach(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
});

function wrap(command: string[], env: Record<string, string | undefined>): Promise<ProcessResult> {
  const base: Record<string, string | undefined> = {
    ...process.env,
    AZURE_CLIENT_SECRET: undefined,
    AZURE_FEDERATED_TOKEN_FILE: undefined,
    GITHUB_ACTIONS: "true",
    RUNNER_TEMP: runnerTemp,
    ...env,
  };
  for (const [k, v] of Object.entries(base)) if (v === undefined) delete base[k];
  return runProcess(process.execPath, ["--import", "tsx", SCRIPT, "--", ...command], { cwd: REPO, env: base });
}

const oidcEnv = () => ({ ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN });

describe("with-github-oidc-token (the apply workflows' credential step)", () => {
  it("fetches the token right before the command, renews it while the command runs, passes the exit code on", { timeout: 60_000 }, async () => {
    const r = await wrap([process.execPath, "-e", CHILD], oidcEnv());
    expect(r.code, r.stderr).toBe(7);
    const seen = JSON.parse(r.stdout) as { file: string; first: string; second: string; mode: number };
    // The file held a token the service issued when the command first read it (code 7: it was
    // there), and a later one after: the wrapper renewed it while the command ran. Which of them
    // is not pinned: a token lives 1–2 s here, and a child slowed past that by a busy machine
    // (a load of 17 in .ci/run) first reads the token of a renewal.
    const first = issued.indexOf(seen.first);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(issued.indexOf(seen.second)).toBeGreaterThan(first);
    expect(seen.mode).toBe(0o600);
    expect(seen.file.startsWith(runnerTemp)).toBe(true);
    // GitHub's request: the runner's URL plus the audience, the request token as bearer.
    for (const req of requests) {
      const u = new URL(req.url ?? "", "http://x");
      expect(u.searchParams.get("api-version")).toBe("2.0");
      expect(u.searchParams.get("audience")).toBe("api://AzureADTokenExchange");
      expect(req.headers.authorization).toBe(`Bearer ${REQUEST_TOKEN}`);
    }
    // Each token masked on a line of its own, on stderr: stdout is the command's alone.
    for (const token of [seen.first, seen.second]) expect(r.stderr).toContain(`\n::add-mask::${token}\n`);
    expect(r.stdout).not.toContain("add-mask");
    // The token file and its folder are gone with the command.
    expect(existsSync(seen.file)).toBe(false);
    expect(await readdir(runnerTemp)).toEqual([]);
  });

  it("runs when started through a symlink to it, as by its own path (never exits 0 having run nothing)", async () => {
    const link = join(runnerTemp, "..", `oidc-link-${process.pid}.ts`);
    await symlink(SCRIPT, link);
    try {
      const r = await runProcess(process.execPath, ["--import", "tsx", link, "--", process.execPath, "-e", "process.exit(5)"], {
        cwd: REPO,
        env: { ...process.env, AZURE_CLIENT_SECRET: "set", GITHUB_ACTIONS: "true", RUNNER_TEMP: runnerTemp },
      });
      expect(r.code, r.stderr).toBe(5);
    } finally {
      await rm(link, { force: true });
    }
  });

  it("runs the command as is when a client secret is set: no token, no file", async () => {
    const r = await wrap([process.execPath, "-e", "process.stdout.write(String(process.env.AZURE_FEDERATED_TOKEN_FILE)); process.exit(3)"], {
      ...oidcEnv(),
      AZURE_CLIENT_SECRET: "a-client-secret",
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("undefined");
    expect(requests).toHaveLength(0);
    expect(r.stderr).not.toContain("a-client-secret");
  });

  it("runs nothing when no token can be had: no id-token permission, or the token service fails", async () => {
    const marker = join(runnerTemp, "ran");
    const child = [process.execPath, "-e", `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "")`];
    const noPermission = await wrap(child, {});
    expect(noPermission.code).toBe(1);
    expect(noPermission.stderr).toContain("grant the job `permissions: id-token: write`, or set AZURE_CLIENT_SECRET; nothing was run");

    status = 500;
    const failing = await wrap(child, oidcEnv());
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain("the GitHub OIDC token request answered HTTP 500; nothing was run");
    expect(failing.stderr).not.toContain(REQUEST_TOKEN);
    expect(existsSync(marker)).toBe(false);
  });

  it("renews at half the token's remaining lifetime", () => {
    const now = 1_000_000_000_000;
    expect(renewalDelay(jwt(1, now / 1000 + 300), now)).toBe(150_000);
    expect(renewalDelay(jwt(1, now / 1000 - 10), now)).toBe(1_000);
    expect(renewalDelay("not-a-jwt", now)).toBe(240_000);
  });
});
