/**
 * `--endpoint http://user:secret@…`: a URL that carries credentials is refused before any
 * request, and the password is never printed — not by the client, not by the CLI, in any of
 * the places a URL can show up (messages, error bodies echoed back, events). The CLI runs
 * in-process through `main` (test/helpers/in-process.ts).
 */
import { randomUUID } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createPartnerCenterClient } from "../../src/partner-center/client.js";
import { PcplanError } from "../../src/errors.js";
import { REDACTED, redactSecrets, redactUrl } from "../../src/partner-center/redact.js";
import { tempCheckout } from "../helpers/cli.js";
import { runMain } from "../helpers/in-process.js";
import { sendJson, useFakeServer } from "../helpers/fake-server.js";
import { TOKEN, makeClient, rejectionOf } from "./setup.js";

/**
 * Its own in every run: in-process runs share the registry of secrets to redact
 * (src/http/redact.ts), and a password some earlier test registered would be hidden by it.
 */
const PASSWORD = `hunter2-Sup3rSecret-${randomUUID()}`;

describe("credentials in URLs", () => {
  const server = useFakeServer();

  it("redacts the user:password part of any URL in text, and only that", () => {
    expect(redactUrl(`see http://admin:${PASSWORD}@127.0.0.1:8080/v1/customers?x=1`)).toBe(`see http://${REDACTED}@127.0.0.1:8080/v1/customers?x=1`);
    expect(redactUrl(`https://${PASSWORD}@host/a and ftp://u:p%40ss@h.example/`)).toBe(`https://${REDACTED}@host/a and ftp://${REDACTED}@h.example/`);
    // An unencoded @ in the password does not leave its tail behind.
    expect(redactUrl("http://u:pa@ss@host/x")).toBe(`http://${REDACTED}@host/x`);
    // No userinfo: nothing changes (an @ in the path or an e-mail address is not one).
    for (const text of ["https://api.partnercenter.microsoft.com/v1/customers", "http://h/users/a@b.com", "mail admin@contoso.com"]) {
      expect(redactUrl(text)).toBe(text);
    }
    expect(redactSecrets(`GET http://u:${PASSWORD}@h/x failed`)).not.toContain(PASSWORD);
  });

  it("refuses an endpoint with a user or password before any request, naming it without the password", () => {
    const endpoint = `${server.origin.replace("http://", `http://admin:${PASSWORD}@`)}/v1`;
    let err: unknown;
    try {
      createPartnerCenterClient({ endpoint, token: () => Promise.resolve(TOKEN) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PcplanError);
    expect((err as PcplanError).code).toBe("PC_ENDPOINT");
    expect((err as PcplanError).userError).toBe(true);
    expect((err as Error).message).toContain(`http://${REDACTED}@127.0.0.1`);
    expect((err as Error).message).toContain("PARTNER_CENTER_TOKEN");
    expect((err as Error).message).not.toContain(PASSWORD);
    expect(server.requests).toHaveLength(0);
  });

  it("keeps URL credentials a server echoes back out of errors and events", async () => {
    server.on("GET", "/v1/customers", (_req, res) =>
      sendJson(res, 400, { code: 1000, description: `bad redirect to https://svc:${PASSWORD}@elsewhere.example/v1` }),
    );
    const { client, events } = makeClient(server);
    const err = await rejectionOf(client.listCustomers());
    expect(err.message).toContain(`https://${REDACTED}@elsewhere.example/v1`);
    expect(err.message + JSON.stringify(events)).not.toContain(PASSWORD);
  });

  it("pcplan plan --endpoint http://user:secret@…: exit 1, a message naming the endpoint, the password nowhere", async () => {
    const cwd = await tempCheckout();
    const out = join(await mkdtemp(join(tmpdir(), "pcplan-url-")), "plan.json");
    const endpoint = `${server.origin.replace("http://", `http://admin:${PASSWORD}@`)}/v1`;
    const r = await runMain(["plan", "plans", "--endpoint", endpoint, "--out", out], { cwd, env: { PARTNER_CENTER_TOKEN: TOKEN } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("carries a user name or password");
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(server.requests).toHaveLength(0);
    // Same through the environment.
    const env = await runMain(["plan", "plans"], { cwd, env: { PARTNER_CENTER_TOKEN: TOKEN, PARTNER_CENTER_ENDPOINT: endpoint } });
    expect(env.code).toBe(1);
    expect(env.stdout + env.stderr).not.toContain(PASSWORD);
  });

  it.each([
    ["apply", ["apply", "plans", "--auto-approve"]],
    ["status", ["status", "plans"]],
    ["discover", ["discover", "--source", "MCOIMP"]],
  ])("pcplan %s --endpoint http://user:secret@…: refused before any request, the password nowhere", async (_cmd, args) => {
    const cwd = await tempCheckout();
    const endpoint = `${server.origin.replace("http://", `http://admin:${PASSWORD}@`)}/v1`;
    const r = await runMain([...args, "--endpoint", endpoint], { cwd, env: { PARTNER_CENTER_TOKEN: TOKEN } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`http://${REDACTED}@127.0.0.1`);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(server.requests).toHaveLength(0);
  });
});
