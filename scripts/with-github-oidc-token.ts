/**
 * Runs a command with a fresh GitHub Actions OIDC token as its Microsoft Entra client assertion,
 * renewed for as long as the command runs. The apply workflows wrap each pcplan step with it:
 *
 *   npx tsx scripts/with-github-oidc-token.ts -- npx pcplan apply plan.json --auto-approve
 *
 * GitHub's OIDC tokens expire within minutes, and MSAL reads the assertion again whenever it
 * renews its Entra token (about hourly): a token fetched once, before a long step, has expired
 * by then. So the token is fetched here, right before the command starts, written to a 0600 file
 * in a private folder (AZURE_FEDERATED_TOKEN_FILE for the command, replaced atomically so a reader
 * never sees half a token), and fetched again at half its remaining lifetime until the command
 * exits. Under GitHub Actions each token is masked in the log (::add-mask::, on stderr, which the
 * runner reads for workflow commands too, so stdout stays the command's alone).
 *
 * With AZURE_CLIENT_SECRET set pcplan authenticates with the secret: the command runs as is.
 * The token request is GitHub's documented one: GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=…
 * with `Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN` (set in jobs granted
 * `id-token: write`), answering `{ "value": "<jwt>" }` (GitHub Docs, "OpenID Connect reference").
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { realpathSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../src/util/write-file-atomic.js";

export const AUDIENCE = "api://AzureADTokenExchange";
/** Renewal bounds: never busier than every MIN, and no later than MAX when the token's lifetime is unknown. */
const MIN_DELAY_MS = 1_000;
const UNKNOWN_LIFETIME_DELAY_MS = 4 * 60_000;
const RETRY_DELAY_MS = 15_000;
const REQUEST_TIMEOUT_MS = 30_000;

type Env = Record<string, string | undefined>;

/** When to fetch the next token: half the time this one has left (from its `exp` claim). */
export function renewalDelay(token: string, nowMs: number): number {
  const exp = expiryOf(token);
  if (exp === undefined) return UNKNOWN_LIFETIME_DELAY_MS;
  return Math.max(MIN_DELAY_MS, Math.floor((exp - nowMs) / 2));
}

/** The JWT's `exp` in ms, undefined if it has none (the signature is the Entra ID's to check, not ours). */
function expiryOf(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: unknown };
    return typeof payload.exp === "number" ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export async function fetchGithubOidcToken(env: Env): Promise<string> {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !bearer) {
    throw new Error(
      "no GitHub OIDC token can be requested (ACTIONS_ID_TOKEN_REQUEST_URL is not set): grant the job `permissions: id-token: write`, or set AZURE_CLIENT_SECRET",
    );
  }
  const res = await fetch(`${url}&audience=${encodeURIComponent(AUDIENCE)}`, {
    headers: { Authorization: `Bearer ${bearer}`, Accept: "application/json" },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`the GitHub OIDC token request answered HTTP ${res.status}`);
  const body = (await res.json().catch(() => undefined)) as { value?: unknown } | undefined;
  if (typeof body?.value !== "string" || body.value === "") throw new Error("the GitHub OIDC token response has no token in `value`");
  return body.value;
}

async function main(argv: string[], env: Env): Promise<number> {
  const at = argv.indexOf("--");
  const command = at >= 0 ? argv.slice(at + 1) : [];
  if (command.length === 0) {
    console.error("usage: tsx scripts/with-github-oidc-token.ts -- COMMAND [ARGS...]");
    return 1;
  }
  if (env.AZURE_CLIENT_SECRET?.trim()) return run(command, env);

  const masked = env.GITHUB_ACTIONS === "true";
  const dir = await mkdtemp(join(env.RUNNER_TEMP || tmpdir(), "oidc-"));
  const file = join(dir, "azure-federated-token");
  const store = async (token: string) => {
    // One write: the runner reads whole lines, and the leading newline ends any half line before it.
    if (masked) process.stderr.write(`\n::add-mask::${token}\n`);
    await writeFileAtomic(file, token, { mode: 0o600 });
  };
  let timer: NodeJS.Timeout | undefined;
  let renewing: Promise<void> | undefined;
  let stopped = false;
  const renew = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      renewing = fetchGithubOidcToken(env)
        .then(async (token) => {
          if (stopped) return;
          await store(token);
          renew(renewalDelay(token, Date.now()));
        })
        .catch((err: unknown) => {
          if (stopped) return;
          console.error(
            `warning: could not renew the GitHub OIDC token (${(err as Error).message}); the previous one stays, retrying in ${RETRY_DELAY_MS / 1000} s`,
          );
          renew(RETRY_DELAY_MS);
        });
    }, delay);
  };
  try {
    let token: string;
    try {
      token = await fetchGithubOidcToken(env);
      await store(token);
    } catch (err) {
      console.error(`error: ${(err as Error).message}; nothing was run`);
      return 1;
    }
    renew(renewalDelay(token, Date.now()));
    return await run(command, { ...env, AZURE_FEDERATED_TOKEN_FILE: file });
  } finally {
    stopped = true;
    clearTimeout(timer);
    await renewing; // a renewal under way finishes (and writes nothing) before the folder goes
    await rm(dir, { recursive: true, force: true });
  }
}

/** The command's exit code (128 + n for a signal, as a shell reports it). Signals to us are passed on. */
function run(command: string[], env: Env): Promise<number> {
  return new Promise((done) => {
    const [file, ...args] = command as [string, ...string[]];
    const child = spawn(file, args, { stdio: "inherit", env });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    const finish = (code: number) => {
      for (const s of ["SIGINT", "SIGTERM"] as const) process.off(s, forward);
      done(code);
    };
    for (const s of ["SIGINT", "SIGTERM"] as const) process.on(s, forward);
    child.on("error", (err) => {
      console.error(`error: cannot run ${file}: ${err.message}`);
      finish(127);
    });
    child.on("exit", (code, signal) => finish(code ?? 128 + (signal ? constants.signals[signal] : 1)));
  });
}

// Run when started as a program, by its own path or through a symlink to it (a wrapper that
// quietly ran nothing would let an apply step pass without applying).
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  process.exitCode = await main(process.argv.slice(2), process.env);
}
