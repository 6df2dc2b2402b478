/**
 * Every fenced shell command in README.md and docs/*.md runs as written, as a partner runs it from
 * a fresh clone after `npm ci`: `npx pcplan …` (a bare `pcplan` is not on the PATH there, nor
 * here), in a temp folder holding a copy of the repository's plans (and links to the files the
 * docs name: fixtures/, schemas/, catalog/). One folder per doc file, its commands in order: a
 * plan discover writes is validated by the next command.
 *
 * What stands in, and why (each in the tables below or in the runner):
 * - `npx` is a script on the PATH that runs the built CLI for `npx pcplan` and refuses anything
 *   else; `npm` one that answers only `npm ci` (dependencies are installed here already).
 * - Commands that name no endpoint reach Partner Center through PARTNER_CENTER_ENDPOINT and
 *   PARTNER_CENTER_TOKEN, set to a demo sandbox this test starts: the real service cannot be
 *   reached from here, and the docs' commands for it are the same commands.
 * - The test knob PCPLAN_TEST_TIME_SCALE shortens apply's provisioning polls (docs/testing.md).
 * - Ports in the docs (8080, 8443) are examples another test may hold: each is replaced by a free one.
 * - A command ending in `&` starts a server: it runs in the background until it prints its URL
 *   (a person waits for that line too) and is stopped when its block ends. `npx pcplan sandbox`
 *   in the foreground serves until stopped: it must print its URL, then it is stopped.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { chmod, cp, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH, SANDBOX_TOKENS, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { BIN, REPO } from "../helpers/cli.js";
import { runMain } from "../helpers/in-process.js";
import { runProcess } from "../helpers/run-process.js";

const DOCS = ["README.md", ...readdirSync(join(REPO, "docs")).flatMap((f) => (f.endsWith(".md") ? [`docs/${f}`] : []))];
const SHELL = /^(sh|bash|shell|console|zsh)$/;

/** Commands the docs show that this test does not run, and why. Matched by the command as written. */
export const NOT_RUN: Record<string, string> = {
  "npm test": "the test suite itself (CI runs it: .ci/run)",
  "npm run check": "type-check, lint and the whole test suite: what CI runs",
  "npm run test:unit": "a part of the test suite itself (CI runs it all: .ci/run)",
  "npm run test:e2e": "a part of the test suite itself (CI runs it all: .ci/run)",
  "npm run test:cli": "a part of the test suite itself (CI runs it all: .ci/run)",
  "npm run mutate": "mutation testing: about 40 minutes",
  "npm run bench": "benchmarks against generated worlds: minutes, and never a test (docs/testing.md)",
};

/** Commands whose documented exit code is not 0. */
const EXIT: Record<string, number> = {
  // The consent example: plan names the customers whose app consent is missing or read-only, an error (exit 1).
  "AZURE_TENANT_ID=b9bdfd4a-f695-4a56-b12b-cfe874dc9999 \\\nAZURE_CLIENT_ID=5d2c6f0a-1b7e-4c55-9a1e-0a7c3e9b2d01 AZURE_CLIENT_SECRET=sandbox-admin-app-secret \\\nAZURE_AUTHORITY_HOST=https://127.0.0.1:8443 GRAPH_ENDPOINT=https://127.0.0.1:8443 \\\nNODE_EXTRA_CA_CERTS=fixtures/sandbox-tls/cert.pem PARTNER_CENTER_TOKEN=sandbox-admin-agent-token \\\nnpx pcplan plan fixtures/consent-world.plan.yaml --endpoint http://127.0.0.1:8080/v1 --now 2026-11-24T00:00:00Z": 1,
  // The consent example: plan names the customers whose app consent is missing or read-only, an error (exit 1).
  "AZURE_TENANT_ID=b9bdfd4a-f695-4a56-b12b-cfe874dc9999 \\\nAZURE_CLIENT_ID=5d2c6f0a-1b7e-4c55-9a1e-0a7c3e9b2d01 AZURE_CLIENT_SECRET=sandbox-admin-app-secret \\\nAZURE_AUTHORITY_HOST=https://127.0.0.1:8443 GRAPH_ENDPOINT=https://127.0.0.1:8443 \\\nNODE_EXTRA_CA_CERTS=fixtures/sandbox-tls/cert.pem \\\nnpx pcplan plan fixtures/consent-world.plan.yaml --endpoint http://127.0.0.1:8080/v1 --license-api graph": 1,
};

interface Command {
  file: string;
  line: number;
  block: number;
  text: string;
}

/** The commands of a markdown file's shell blocks: continuation lines joined, prompts and comment-only lines dropped. */
export function shellCommands(file: string, text: string): Command[] {
  const out: Command[] = [];
  let lang: string | undefined;
  let block = 0;
  let pending: { line: number; text: string } | undefined;
  for (const [i, raw] of text.split("\n").entries()) {
    const fence = /^\s*```(\S*)/.exec(raw);
    if (fence) {
      lang = lang === undefined ? fence[1] : undefined;
      block++;
      continue;
    }
    if (lang === undefined || !SHELL.test(lang)) continue;
    const line = raw.replace(/^\s*\$ /, "");
    if (!pending && (!line.trim() || line.trim().startsWith("#"))) continue;
    pending = pending ? { line: pending.line, text: `${pending.text}\n${line}` } : { line: i + 1, text: line };
    if (line.endsWith("\\")) continue;
    out.push({ file, line: pending.line, block, text: pending.text });
    pending = undefined;
  }
  return out;
}

/**
 * `[NAME=value …] npx pcplan ARGS` with nothing else for a shell to do (no pipe, `&&`, redirect,
 * quote or expansion): run through `main` in this process (test/helpers/in-process.ts), as the
 * bin script would, without a process start per command. Left to a shell: every other command,
 * `npx pcplan sandbox` (it serves until stopped), and a command setting NODE_EXTRA_CA_CERTS,
 * which Node reads only when a process starts.
 */
export function asMainRun(text: string): { env: Record<string, string>; args: string[] } | undefined {
  const words = text.replace(/\\\n/g, " ").trim().split(/\s+/);
  if (words.some((w) => /[|&;<>()$`'"\\*?~{}]/.test(w))) return undefined;
  const env: Record<string, string> = {};
  while (words[0] !== undefined && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const [name = "", ...value] = (words.shift() ?? "").split("=");
    env[name] = value.join("=");
  }
  if (words[0] !== "npx" || words[1] !== "pcplan" || words[2] === "sandbox" || "NODE_EXTRA_CA_CERTS" in env) return undefined;
  return { env, args: words.slice(2) };
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.on("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

const FAKE_NPX = `#!/usr/bin/env bash
if [ "$1" != pcplan ]; then echo "npx $1: the docs run only npx pcplan" >&2; exit 127; fi
shift
exec node "$PCPLAN_BIN" "$@"
`;
const FAKE_NPM = `#!/usr/bin/env bash
if [ "$*" = ci ] || [ "$*" = "ci --no-audit --no-fund" ]; then exit 0; fi
echo "npm $*: not run by test/docs/doc-commands.cli.test.ts (see NOT_RUN)" >&2; exit 127
`;

describe("every shell command in the docs runs as written", () => {
  let sandbox: SandboxHandle;
  let env: NodeJS.ProcessEnv;
  const ports = new Map<string, string>();

  beforeAll(async () => {
    sandbox = await startSandbox({ fixture: await loadFixture(DEMO_FIXTURE_PATH), port: 0 });
    const bin = await mkdtemp(join(tmpdir(), "pcplan-docbin-"));
    for (const [name, script] of [
      ["npx", FAKE_NPX],
      ["npm", FAKE_NPM],
    ] as const) {
      await writeFile(join(bin, name), script);
      await chmod(join(bin, name), 0o755);
    }
    for (const p of ["8080", "8443"]) ports.set(p, String(await freePort()));
    // A PATH without node_modules/.bin: `pcplan` alone is not a command here, as in a fresh clone.
    env = {
      HOME: process.env.HOME,
      LANG: "C.UTF-8",
      PATH: [bin, dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(":"),
      NO_COLOR: "1",
      CI: "true",
      PCPLAN_BIN: BIN,
      PARTNER_CENTER_ENDPOINT: sandbox.url,
      PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin,
      // apply's provisioning polls a hundred times shorter, and the `--sandbox` world sees them pass
      // whole (docs/testing.md): Tailwind's order, placed before any run, provisions a minute after
      // the sandbox starts, which an apply of the demo world would otherwise wait out for real.
      VITEST: "true",
      PCPLAN_TEST_TIME_SCALE: "0.01",
    };
    const which = await runProcess("bash", ["-c", "command -v pcplan"], { cwd: REPO, env });
    expect(which.code, "pcplan must not be on the test's PATH").not.toBe(0);
  }, 60_000);
  afterAll(async () => {
    await sandbox?.close();
  });

  const withPorts = (text: string) => text.replace(/\b(8080|8443)\b/g, (p) => ports.get(p) ?? p);

  /** Starts a server command and resolves once it printed its URL; the caller stops it. */
  function serve(text: string, cwd: string): Promise<{ child: ChildProcess; output: () => string }> {
    const child = spawn("bash", ["--noprofile", "--norc", "-c", `exec ${text}`], { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no URL within 60 s from: ${text}\n${output}`)), 60_000);
      const seen = (d: Buffer) => {
        output += d.toString();
        if (/https?:\/\/127\.0\.0\.1:\d+/.test(output)) {
          clearTimeout(timer);
          done({ child, output: () => output });
        }
      };
      child.stdout.on("data", seen);
      child.stderr.on("data", seen);
      child.on("exit", (code) => fail(new Error(`exited ${code} before printing its URL: ${text}\n${output}`)));
    });
  }
  const stop = (c: ChildProcess) => {
    if (c.pid !== undefined && c.exitCode === null) process.kill(-c.pid, "SIGTERM");
  };

  for (const file of DOCS) {
    const commands = shellCommands(file, readFileSync(join(REPO, file), "utf8"));
    if (commands.length === 0) continue;
    it(`${file}: ${commands.length} commands`, { timeout: 600_000 }, async () => {
      const cwd = await mkdtemp(join(tmpdir(), "pcplan-docs-"));
      await cp(join(REPO, "plans"), join(cwd, "plans"), { recursive: true });
      for (const d of ["fixtures", "schemas", "catalog"]) await symlink(join(REPO, d), join(cwd, d));
      const background: ChildProcess[] = [];
      let block = -1;
      try {
        for (const c of commands) {
          const where = `${c.file}:${c.line}: ${c.text}`;
          if (c.block !== block) {
            background.splice(0).forEach(stop);
            block = c.block;
          }
          if (Object.hasOwn(NOT_RUN, c.text.replace(/\s+#.*$/, "").trim())) continue;
          const text = withPorts(c.text.replace(/\s+#[^\n]*$/, "").trim());
          const inProcess = asMainRun(text);
          if (text.endsWith("&")) {
            background.push((await serve(text.slice(0, -1).trim(), cwd)).child);
          } else if (/^npx pcplan sandbox\b/.test(text)) {
            stop((await serve(text, cwd)).child);
          } else if (inProcess) {
            // The environment a spawned command would have, exactly: the test's own is not the docs'.
            const clean = Object.fromEntries(Object.keys(process.env).map((k) => [k, undefined]));
            const r = await runMain(inProcess.args, { cwd, env: { ...clean, ...env, ...inProcess.env } });
            expect(r.code, `${where}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`).toBe(EXIT[c.text] ?? 0);
          } else {
            const r = await runProcess("bash", ["--noprofile", "--norc", "-o", "pipefail", "-c", text], { cwd, env });
            expect(r.code, `${where}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`).toBe(EXIT[c.text] ?? 0);
          }
        }
      } finally {
        background.forEach(stop);
      }
    });
  }

  it("finds the docs' commands, and a bare pcplan among them would fail", () => {
    const all = DOCS.flatMap((f) => shellCommands(f, readFileSync(join(REPO, f), "utf8")));
    expect(all.length).toBeGreaterThan(20);
    // `pcplan` as a command word, not after `npx ` (paths such as .pcplan/ do not count).
    const bare = /(?<!npx )(?<![\w/.-])pcplan(?=\s)/;
    expect(all.filter((c) => bare.test(c.text)).map((c) => `${c.file}:${c.line}`)).toEqual([]);
    expect(bare.test("pcplan plan --sandbox") && !bare.test("npx pcplan plan") && !bare.test("ls .pcplan/ x")).toBe(true);
    // Every command not run is still in the docs: the list never outlives what it excuses.
    const texts = new Set(all.map((c) => c.text.replace(/\s+#.*$/, "").trim()));
    for (const c of Object.keys(NOT_RUN)) expect(texts, c).toContain(c);
    // What runs through `main` and what is left to a shell.
    expect(asMainRun("PARTNER_CENTER_TOKEN=t npx pcplan plan --endpoint http://127.0.0.1:1/v1")).toEqual({
      env: { PARTNER_CENTER_TOKEN: "t" },
      args: ["plan", "--endpoint", "http://127.0.0.1:1/v1"],
    });
    for (const shell of [
      "npm ci && npx pcplan plan --sandbox",
      "NODE_EXTRA_CA_CERTS=c.pem npx pcplan plan",
      "npx pcplan sandbox",
      "npx pcplan plan > x",
      "pcplan plan",
    ])
      expect(asMainRun(shell), shell).toBeUndefined();
  });
});
