/**
 * Credentials never leak (the credential rule): plan and apply run with recognisable bearer tokens — one
 * that works, one whose role is refused (403), one the service does not know (401) — and the
 * test fails if any of them appears in stdout, stderr, the audit log, the saved plan or any
 * file written under the working directory (including .pcplan/).
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { partnerCenterCheckout, runCli, tempCheckout, type CliResult } from "../helpers/cli.js";
import { settleEarlierOrders } from "../helpers/demo-run.js";

const NOW = "2026-11-24T00:00:00Z";
const SECRET = {
  admin: "pcplan-TEST-SECRET-7f3a9c51d0e84b2f-admin",
  helpdesk: "pcplan-TEST-SECRET-2c8e4a90b7f1d365-helpdesk",
  unknown: "pcplan-TEST-SECRET-e15b3d7c9a0f4286-unknown",
};
const MARKER = "TEST-SECRET";

let sandbox: SandboxHandle;
let cwd: string;
const outputs: { what: string; r: CliResult }[] = [];

async function cli(what: string, args: string[], token: string): Promise<CliResult> {
  const r = await runCli([...args, "--endpoint", sandbox.url, "--now", NOW], { cwd, env: { PARTNER_CENTER_TOKEN: token } });
  outputs.push({ what, r });
  return r;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

beforeAll(async () => {
  const fixture = await loadFixture(DEMO_FIXTURE_PATH);
  // Tailwind's earlier order provisioned before the run: the applies below would otherwise wait a real minute for it.
  settleEarlierOrders(fixture);
  fixture.credentials.push(
    { token: SECRET.admin, role: "admin-agent", name: "Secret admin" },
    { token: SECRET.helpdesk, role: "helpdesk-agent", name: "Secret helpdesk" },
  );
  sandbox = await startSandbox({ fixture, clock: NOW });
  // A Partner Center token: Lucerne's group plan is left out (test/helpers/cli.ts).
  cwd = await partnerCenterCheckout();
});
afterAll(async () => {
  await sandbox?.close();
});

describe("no credential in any output or file", () => {
  it("plan, apply and their failures never print or write a token", async () => {
    // Failures first, while there is still something to change.
    const unknown = await cli("plan with an unknown token", ["plan"], SECRET.unknown);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/401|authenticat|access denied/i);
    expect((await cli("apply with an unknown token", ["apply", "--auto-approve"], SECRET.unknown)).code).toBe(1);
    const helpdesk = await cli("apply as helpdesk", ["apply", "--auto-approve", "--audit-log", "logs/helpdesk.jsonl"], SECRET.helpdesk);
    expect(helpdesk.code).toBe(1); // every write refused: nothing was applied
    expect(helpdesk.stdout).toMatch(/role|agent/i);
    const bearer = await cli("plan with a Bearer-prefixed unknown token", ["plan"], `Bearer ${SECRET.unknown}`);
    expect(bearer.code).toBe(1);

    for (const format of ["text", "json", "markdown"])
      expect((await cli(`plan --format ${format}`, ["plan", "--format", format, "--diff"], SECRET.admin)).code).toBe(0);
    expect((await cli("plan --out", ["plan", "--out", "saved/plan.json"], SECRET.admin)).code).toBe(0);
    const applied = await cli("apply saved plan", ["apply", "saved/plan.json"], SECRET.admin);
    expect(applied.code, applied.stderr).toBe(0);
    expect((await cli("apply plans", ["apply", "--auto-approve"], SECRET.admin)).code).toBe(0);
    expect((await cli("plan after", ["plan", "--detailed-exitcode"], SECRET.admin)).code).toBe(0);

    for (const { what, r } of outputs) {
      expect(r.stdout, `${what}: stdout`).not.toContain(MARKER);
      expect(r.stderr, `${what}: stderr`).not.toContain(MARKER);
    }
    const files = await filesUnder(cwd);
    expect(files.some((f) => f.endsWith(join(".pcplan", "audit.jsonl")))).toBe(true);
    expect(files.some((f) => f.endsWith(join("logs", "helpdesk.jsonl")))).toBe(true);
    expect(files.some((f) => f.endsWith(join("saved", "plan.json")))).toBe(true);
    for (const f of files) expect(await readFile(f, "latin1"), f).not.toContain(MARKER);
    // The sandbox's own request log keeps roles, never tokens.
    expect(JSON.stringify(sandbox.requestLog)).not.toContain(MARKER);
  });
});

describe("no Graph token or secret in any output or file", () => {
  const GRAPH_SECRET = {
    clientSecret: "pcplan-TEST-SECRET-graph-client-4b1e9d27a6",
    refreshToken: "pcplan-TEST-SECRET-graph-refresh-93c0e5f1b8",
    wrongSecret: "pcplan-TEST-SECRET-graph-wrong-0d7a2c64e3",
  };
  /** Access tokens are JWTs the sandbox signs at random: none may appear anywhere (`eyJ` opens every one). */
  const JWT_START = "eyJ";

  it("plan and apply through Microsoft Graph, with a client secret, a refresh token and a refused secret", async () => {
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    settleEarlierOrders(fixture);
    const app = {
      token: "pcplan-graph-app-pc-token-1234",
      role: "admin-agent" as const,
      name: "Graph app",
      clientId: "7a1d0c3e-5b2f-4e8a-9c6d-1f0e2d3c4b5a",
      ...GRAPH_SECRET,
    };
    fixture.credentials.push({
      token: app.token,
      role: app.role,
      name: app.name,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      refreshToken: app.refreshToken,
      // Consented everywhere but at Fabrikam (an app-only credential acts with its consent); its user holds every GDAP role (app+user).
      consents: { "*": ["User.Read.All", "LicenseAssignment.Read.All", "LicenseAssignment.ReadWrite.All"] },
      gdap: { "*": ["Directory Readers", "Global Reader", "Directory Writers", "User Administrator", "License Administrator"] },
      withoutConsent: ["367930e6-12d8-4ecc-a320-aabd3f9ebaa0"],
    });
    const graphSandbox = await startSandbox({ fixture, clock: NOW });
    const dir = await tempCheckout();
    const seen: { what: string; r: CliResult }[] = [];
    const env = (extra: Record<string, string | undefined>) => ({
      PARTNER_CENTER_TOKEN: undefined,
      AZURE_TENANT_ID: fixture.partner.id,
      AZURE_CLIENT_ID: app.clientId,
      AZURE_CLIENT_SECRET: app.clientSecret,
      AZURE_AUTHORITY_HOST: graphSandbox.graph.endpoint,
      GRAPH_ENDPOINT: graphSandbox.graph.endpoint,
      NODE_EXTRA_CA_CERTS: graphSandbox.graph.caPath,
      ...extra,
    });
    const run = async (what: string, args: string[], extra: Record<string, string | undefined> = {}) => {
      const r = await runCli([...args, "--endpoint", graphSandbox.url, "--now", NOW, "--license-api", "graph", "--verbose"], { cwd: dir, env: env(extra) });
      seen.push({ what, r });
      return r;
    };
    try {
      expect((await run("wrong client secret", ["plan"], { AZURE_CLIENT_SECRET: GRAPH_SECRET.wrongSecret })).code).toBe(1);
      const viaRefresh = await run("plan with a refresh token", ["plan", "--format", "json"], { PARTNER_CENTER_REFRESH_TOKEN: app.refreshToken });
      // Fabrikam refuses the app (no consent): that customer is an error, the others are planned.
      expect(viaRefresh.code, viaRefresh.stderr).toBe(1);
      expect(viaRefresh.stdout).toContain("AADSTS65001");
      const applied = await run("apply (one tenant refuses the app)", ["apply", "--auto-approve", "--audit-log", "logs/graph.jsonl"]);
      expect(applied.code, applied.stderr).toBe(3);
      expect((await run("plan --out", ["plan", "--out", "saved/graph-plan.json"])).code).toBe(1);
    } finally {
      await graphSandbox.close();
    }
    for (const { what, r } of seen) {
      for (const text of [r.stdout, r.stderr]) {
        expect(text, what).not.toContain(MARKER);
        expect(text, what).not.toContain(JWT_START);
      }
    }
    const files = await filesUnder(dir);
    expect(files.some((f) => f.endsWith(join("logs", "graph.jsonl")))).toBe(true);
    for (const f of files) {
      const text = await readFile(f, "latin1");
      expect(text, f).not.toContain(MARKER);
      expect(text, f).not.toContain(JWT_START);
    }
    const log = JSON.stringify(graphSandbox.requestLog);
    expect(log).not.toContain(MARKER);
    expect(log).not.toContain(JWT_START);
  });
});
