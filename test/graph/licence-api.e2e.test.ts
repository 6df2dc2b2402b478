/**
 * Which licence API a run uses (docs/graph.md), in-process through `main`: `--sandbox` reads
 * licences through its own Graph by default (its certificate trusted in-process, no
 * NODE_EXTRA_CA_CERTS needed), and without app credentials `--license-api graph` is refused while
 * `auto` uses Partner Center. (Graph over HTTPS from a child process: e2e-graph.cli.test.ts.)
 */
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { tempCheckout } from "../helpers/cli.js";
import { runMain } from "../helpers/in-process.js";
import { NOW } from "../sandbox/helpers/sandbox.js";
import { withoutGroups } from "./helpers/plan-json.js";

let sb: SandboxHandle | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});
const graphRequests = () => sb!.requestLog.filter((e) => e.api === "graph").length;

describe("the licence API a run chooses", () => {
  it("pcplan plan --sandbox reads licences through the in-process sandbox's Graph by default", async () => {
    const cwd = await tempCheckout();
    const viaSandbox = await runMain(["plan", "--sandbox", "--now", NOW, "--verbose", "--format", "json"], {
      cwd,
      env: { PARTNER_CENTER_TOKEN: undefined, AZURE_CLIENT_ID: undefined },
    });
    expect(viaSandbox.code, viaSandbox.stderr).toBe(0);
    expect(viaSandbox.stderr).toMatch(/Licences through Microsoft Graph: [1-9]\d* requests/);
    const viaPartnerCenter = await runMain(["plan", "--sandbox", "--now", NOW, "--format", "json", "--license-api", "partner-center"], { cwd, env: {} });
    expect(withoutGroups(viaSandbox.stdout).shared).toEqual(withoutGroups(viaPartnerCenter.stdout).shared);
    expect(withoutGroups(viaSandbox.stdout).lucerne[0]).toBe("group-license");
  });

  it("--license-api graph without app credentials is refused before any request; auto without them uses Partner Center", async () => {
    sb = await startSandbox({ fixture: await loadFixture(DEMO_FIXTURE_PATH), clock: NOW });
    const cwd = await tempCheckout();
    const refused = await runMain(["plan", "--endpoint", sb.url, "--now", NOW, "--license-api", "graph"], {
      cwd,
      env: { PARTNER_CENTER_TOKEN: "sandbox-admin-agent-token", AZURE_CLIENT_ID: undefined, AZURE_TENANT_ID: undefined, AZURE_CLIENT_SECRET: undefined },
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("--license-api graph needs app credentials");
    expect(sb.requestLog).toEqual([]);
    const auto = await runMain(["plan", "--endpoint", sb.url, "--now", NOW, "--verbose"], {
      cwd,
      env: { PARTNER_CENTER_TOKEN: "sandbox-admin-agent-token", AZURE_CLIENT_ID: undefined, AZURE_TENANT_ID: undefined, AZURE_CLIENT_SECRET: undefined },
    });
    expect(auto.code).toBe(0);
    expect(auto.stderr).toContain("Licences through Partner Center");
    expect(graphRequests()).toBe(0);
  });
});
