import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { PcplanError } from "../../src/errors.js";
import {
  APP_ONLY_SCOPE,
  APP_USER_SCOPE,
  clientAssertionFromFile,
  resolveCredentialSource,
  tokenProviderFromEnv,
  type TokenApp,
  type TokenAppFactory,
} from "../../src/partner-center/auth.js";
import { redactSecrets } from "../../src/partner-center/redact.js";

const APP = { AZURE_TENANT_ID: "tenant-1", AZURE_CLIENT_ID: "client-1", AZURE_CLIENT_SECRET: "client-SECRET-abcdef" };

/** A stand-in for MSAL's ConfidentialClientApplication: no network, records calls. */
function fakeApp(opts: { expiresInMs?: number; fail?: string } = {}) {
  const calls: { kind: string; scopes: string[]; refreshToken?: string }[] = [];
  let created = 0;
  let n = 0;
  const app: TokenApp = {
    acquireTokenByClientCredential: (req) => {
      calls.push({ kind: "client-credentials", ...req });
      if (opts.fail) return Promise.reject(new Error(opts.fail));
      return Promise.resolve({ accessToken: `at-${++n}-xxxxxxxx`, expiresOn: new Date(clock.t + (opts.expiresInMs ?? 3_600_000)) });
    },
    acquireTokenByRefreshToken: (req) => {
      calls.push({ kind: "refresh-token", ...req });
      if (opts.fail) return Promise.reject(new Error(opts.fail));
      return Promise.resolve({ accessToken: `at-${++n}-xxxxxxxx`, expiresOn: new Date(clock.t + (opts.expiresInMs ?? 3_600_000)) });
    },
  };
  const clock = { t: 1_000_000 };
  const createApp: TokenAppFactory = (source) => {
    created++;
    sources.push(source);
    return Promise.resolve(app);
  };
  const sources: Parameters<TokenAppFactory>[0][] = [];
  return { createApp, calls, clock, sources, created: () => created };
}

describe("credentials from the environment", () => {
  it("PARTNER_CENTER_TOKEN wins over app credentials", async () => {
    const env = { ...APP, PARTNER_CENTER_REFRESH_TOKEN: "rt-xxxxxxxx", PARTNER_CENTER_TOKEN: "Bearer static-token-123" };
    expect(resolveCredentialSource(env)).toEqual({ kind: "static-token", token: "static-token-123" });
    const f = fakeApp();
    const provider = tokenProviderFromEnv(env, { createApp: f.createApp });
    expect(await provider()).toBe("static-token-123");
    expect(f.created()).toBe(0);
  });

  it("app-only client credentials use the .default scope", () => {
    expect(resolveCredentialSource(APP)).toMatchObject({
      kind: "client-credentials",
      tenantId: "tenant-1",
      clientId: "client-1",
      clientSecret: "client-SECRET-abcdef",
      scope: APP_ONLY_SCOPE,
    });
    expect(APP_ONLY_SCOPE).toBe("https://api.partnercenter.microsoft.com/.default");
  });

  it("a refresh token selects app+user with the user_impersonation scope", () => {
    expect(resolveCredentialSource({ ...APP, PARTNER_CENTER_REFRESH_TOKEN: "rt-xxxxxxxx" })).toMatchObject({
      kind: "refresh-token",
      refreshToken: "rt-xxxxxxxx",
      scope: "https://api.partnercenter.microsoft.com/user_impersonation",
    });
  });

  it("accepts a federated token file instead of a client secret", () => {
    const env = { AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c", AZURE_FEDERATED_TOKEN_FILE: "/var/run/token" };
    expect(resolveCredentialSource(env)).toMatchObject({ kind: "client-credentials", federatedTokenFile: "/var/run/token" });
  });

  it("missing credentials → a clear error listing the env vars", () => {
    const err = (() => {
      try {
        resolveCredentialSource({});
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(PcplanError);
    const msg = (err as Error).message;
    for (const v of ["PARTNER_CENTER_TOKEN", "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "PARTNER_CENTER_REFRESH_TOKEN"]) {
      expect(msg).toContain(v);
    }
    expect(() => resolveCredentialSource({ AZURE_TENANT_ID: "t" })).toThrow(/missing AZURE_CLIENT_ID, AZURE_CLIENT_SECRET/);
    expect(() => tokenProviderFromEnv({ PARTNER_CENTER_TOKEN: "  " })).toThrow(/No Partner Center credentials/);
  });
});

describe("tokenProviderFromEnv with an MSAL stand-in", () => {
  it("constructs the app lazily, caches the token until shortly before expiry, shares one in-flight call", async () => {
    const f = fakeApp();
    const provider = tokenProviderFromEnv({ ...APP, PARTNER_CENTER_REFRESH_TOKEN: "rt-xxxxxxxx" }, { createApp: f.createApp, now: () => f.clock.t });
    expect(f.created()).toBe(0);
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(a).toBe("at-1-xxxxxxxx");
    expect(b).toBe(a);
    expect(f.calls).toEqual([{ kind: "refresh-token", scopes: [APP_USER_SCOPE], refreshToken: "rt-xxxxxxxx" }]);
    expect(f.sources[0]).toMatchObject({ tenantId: "tenant-1", clientId: "client-1", clientSecret: "client-SECRET-abcdef" });
    f.clock.t += 50 * 60_000; // 10 minutes left: still cached
    expect(await provider()).toBe("at-1-xxxxxxxx");
    f.clock.t += 6 * 60_000; // 4 minutes left: refresh
    expect(await provider()).toBe("at-2-xxxxxxxx");
    expect(f.calls).toHaveLength(2);
  });

  it("client credentials ask for the .default scope", async () => {
    const f = fakeApp();
    const provider = tokenProviderFromEnv(APP, { createApp: f.createApp });
    await provider();
    expect(f.calls).toEqual([{ kind: "client-credentials", scopes: [APP_ONLY_SCOPE] }]);
  });

  it("wraps MSAL failures without the client secret or refresh token", async () => {
    const f = fakeApp({ fail: "AADSTS7000215: Invalid client secret provided: client-SECRET-abcdef (refresh rt-SECRET-zzzz)" });
    const provider = tokenProviderFromEnv({ ...APP, PARTNER_CENTER_REFRESH_TOKEN: "rt-SECRET-zzzz" }, { createApp: f.createApp });
    const err = await provider().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(PcplanError);
    expect(err!.message).toMatch(/AADSTS7000215/);
    const all = `${err!.message}\n${err!.stack ?? ""}\n${inspect(err, { depth: 10 })}`;
    expect(all).not.toContain("client-SECRET-abcdef");
    expect(all).not.toContain("rt-SECRET-zzzz");
  });

  it("reads the federated client assertion from its file on every call (it rotates) and redacts it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "pcplan-auth-"));
    const file = path.join(dir, "token");
    await writeFile(file, "assertion-one-jwt\n");
    const assertion = clientAssertionFromFile(file);
    expect(await assertion()).toBe("assertion-one-jwt");
    await writeFile(file, "assertion-two-jwt");
    expect(await assertion()).toBe("assertion-two-jwt");
    expect(redactSecrets("sent assertion-two-jwt")).toBe("sent [REDACTED]");
    // The env path hands the file to the app factory (MSAL), constructed only on the first token request.
    const f = fakeApp();
    const provider = tokenProviderFromEnv({ AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c", AZURE_FEDERATED_TOKEN_FILE: file }, { createApp: f.createApp });
    expect(f.created()).toBe(0);
    await provider();
    expect(f.sources[0]).toMatchObject({ kind: "client-credentials", federatedTokenFile: file });
    expect(f.sources[0].clientSecret).toBeUndefined();
  });
});
