/**
 * Issue 22 §3: a Partner Center that echoes the credential back altered — clipped at 500
 * characters (20 of its 25 characters left), split by a line break, upper-cased,
 * base64-encoded, with zero-width characters between its letters — in the error bodies of a
 * read (plan) and of a write (apply). No form of it may reach stderr, the text, markdown or JSON
 * output, or any file under the working folder (.pcplan/audit.jsonl included). In-process runs
 * against the demo world behind a proxy that writes the error bodies.
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../helpers/demo-customers.js";
import type { ProxiedRequest } from "../helpers/hostile-proxy.js";
import { startProxiedDemo, type ProxiedDemo } from "../helpers/proxied-demo.js";
import type { MainResult } from "../helpers/in-process.js";

/** 25 characters, as in the issue; an admin agent of the sandbox. */
const SECRET = "Zq7vK2pW9xR4mT8bN3cY6hJ5d";
const b64 = (s: string) => Buffer.from(s).toString("base64");

const FORMS: [string, string][] = [
  // "Invalid token " (14) + 466 + 25: the description is clipped at 500, leaving 20 of the 25.
  ["clipped at 500 characters, 20 of 25 left", `${"x".repeat(466)}${SECRET}`],
  ["split by a line break", `${SECRET.slice(0, 12)}\n${SECRET.slice(12)}`],
  ["upper-cased", SECRET.toUpperCase()],
  ["base64-encoded", b64(SECRET)],
  ["zero-width characters between the letters", [...SECRET].join("\u200b")],
];

/** What of the secret is left in `text`: any 8-character run, in any case, across whitespace and zero-width characters, or of its base64. */
function leaks(text: string): string[] {
  const flat = text.replace(/[\s\u00ad\u200b-\u200f\u2060\ufeff]/g, "");
  const found: string[] = [];
  for (let i = 0; i + 8 <= SECRET.length; i++) if (flat.toLowerCase().includes(SECRET.slice(i, i + 8).toLowerCase())) found.push(SECRET.slice(i, i + 8));
  for (let i = 0; i + 8 <= b64(SECRET).length - 4; i++) if (flat.includes(b64(SECRET).slice(i, i + 8))) found.push(`base64 ${b64(SECRET).slice(i, i + 8)}`);
  return found;
}

let demo: ProxiedDemo;
beforeAll(async () => {
  demo = await startProxiedDemo((f) => f.credentials.push({ token: SECRET, role: "admin-agent", name: "Echoed admin" }), SECRET);
});
afterAll(async () => {
  await demo.close();
});

/** Adventure Works' subscribed SKUs (a read) and Wide World's suspension (a write) answer 400 with the form in the body. */
function echo(form: string) {
  return (req: ProxiedRequest) => {
    const read = req.method === "GET" && req.customerId === DEMO.adventure && req.path.endsWith("/subscribedskus");
    const write = req.method === "PATCH" && req.customerId === DEMO.wideworld;
    if (!read && !write) return undefined;
    return { status: 400, body: { code: 900, description: `Invalid token ${form}`, data: [form], source: form } };
  };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("a credential echoed back altered reaches no output and no file", () => {
  it.each(FORMS)("%s", async (_what, form) => {
    demo.proxy.hooks = { request: echo(form) };
    const only = ["--customer", DEMO.adventure, "--customer", DEMO.wideworld, "--license-api", "partner-center"];
    const runs: [string, MainResult][] = [];
    for (const format of ["text", "json", "markdown"]) runs.push([`plan ${format}`, await demo.pcplan("plan", "--format", format, ...only)]);
    runs.push(["apply", await demo.pcplan("apply", "--auto-approve", ...only)]);
    runs.push(["apply json", await demo.pcplan("apply", "--auto-approve", "--format", "json", ...only)]);

    // The failures were reported (so the answers did reach pcplan), without the secret.
    const [, apply] = runs[3];
    expect(apply.stdout + apply.stderr).toMatch(/failed: 400 900/);
    expect(runs[0][1].stdout).toMatch(/could not read the customer's state/);
    for (const [what, r] of runs) {
      expect(leaks(r.stdout), `${what}: stdout`).toEqual([]);
      expect(leaks(r.stderr), `${what}: stderr`).toEqual([]);
    }
    const files = await filesUnder(demo.cwd);
    const audit = files.find((f) => f.endsWith(join(".pcplan", "audit.jsonl")));
    expect(audit).toBeDefined();
    expect(await readFile(audit!, "utf8")).toMatch(/"outcome":"failed"/);
    for (const f of files) expect(leaks(await readFile(f, "utf8")), f).toEqual([]);
  });
});
