/**
 * Issue 22 §6, "company names escaped for HTML but not for markdown": a company name Partner
 * Center sends (read when the plan gives none) carrying markdown — a link, an image, a code span,
 * a table pipe, a leading `#`, HTML tags, bare URLs, emphasis, math — once rendered live in the
 * PR comment (`plan --format markdown`, its cost section too). It is shown as the same characters,
 * never as markup; and the zero-width characters in it are gone from every format. In-process
 * runs against the demo world behind the hostile proxy; Lamna Healthcare's name comes from the
 * sandbox's fixture, its plan entry without a name.
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO } from "../helpers/demo-customers.js";
import { proxiedDemoPerTest } from "../helpers/proxied-demo.js";

const PRICES = fileURLToPath(new URL("../../fixtures/demo-prices.csv", import.meta.url));
const MARKUP = [
  "[Click to approve](https://evil.example/approve)",
  "![logo](https://evil.example/p.png)",
  "`tick`",
  "a|b",
  "<img src=x onerror=alert(1)>",
  "<b>bold</b>",
  "www.evil.example",
  "*em*",
  "_em_",
  "~~gone~~",
  "$x^2$",
];
const HOSTILE = `# Lamna\u200b Health\u2060care\ufeff ${MARKUP.join(" ")}`;
const ZERO_WIDTH = /[\u00ad\u180e\u200b-\u200d\u2060\ufeff]/;

const demo = proxiedDemoPerTest((f) => void (f.customers.find((c) => c.id === DEMO.lamna)!.companyName = HOSTILE));

async function nameFromServer(): Promise<void> {
  const file = join(demo().cwd, "plans/business-basic-to-standard.yaml");
  await writeFile(file, (await readFile(file, "utf8")).replace(/\n +name: Lamna Healthcare[^\n]*/, ""));
}

/** The markdown outside its code blocks (the actions' diff block shows text as typed, by design). */
function prose(md: string): string[] {
  let inCode = false;
  return md.split("\n").filter((line) => {
    if (line.startsWith("```")) inCode = !inCode;
    return !inCode && !line.startsWith("```");
  });
}

const lamna = ["--customer", DEMO.lamna, "--license-api", "partner-center"];

describe("a company name carrying markdown", () => {
  it("is shown as its characters in the markdown preview and its cost section, never as markup", async () => {
    await nameFromServer();
    const r = await demo().pcplan("plan", "--format", "markdown", "--prices", PRICES, ...lamna);
    expect(r.code, r.stderr).toBe(0);
    const lines = prose(r.stdout);
    const named = lines.filter((l) => l.includes("Lamna"));
    // The <summary>, the heading paragraph and the cost line.
    expect(named.length, r.stdout).toBeGreaterThanOrEqual(3);
    for (const line of named) {
      for (const m of MARKUP) expect(line).not.toContain(m);
      expect(line).not.toMatch(/\]\(|!\[|<img|<b>bold|:\/\/|www\.|\|/);
      expect(line).not.toMatch(ZERO_WIDTH);
    }
    // Only pcplan's own headings start with `#`; the name opens the heading paragraph as `&#35;`.
    expect(lines.filter((l) => l.startsWith("#"))).toEqual(["### pcplan plan", expect.stringMatching(/^#### Costs \(USD/)]);
    expect(r.stdout).toContain("&#35; Lamna Healthcare &#91;Click to approve&#93;(https&#58;//evil.example/approve) !&#91;logo&#93;");
  });

  it("has no zero-width character in text, JSON, the HTML report, nor status", async () => {
    await nameFromServer();
    const htmlOut = join(demo().cwd, "plan.html");
    const statusOut = join(demo().cwd, "status.html");
    const runs = [
      await demo().pcplan("plan", ...lamna),
      await demo().pcplan("plan", "--format", "json", ...lamna),
      await demo().pcplan("plan", "--format", "html", "--out", htmlOut, ...lamna),
      await demo().pcplan("status", ...lamna),
      await demo().pcplan("status", "--format", "json", ...lamna),
      await demo().pcplan("status", "--format", "html", "--out", statusOut, ...lamna),
    ];
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const printed = runs.filter((_, i) => i % 3 !== 2).map((r) => r.stdout + r.stderr);
    const outputs = [...printed, await readFile(htmlOut, "utf8"), await readFile(statusOut, "utf8")];
    for (const o of outputs) {
      expect(o).not.toMatch(ZERO_WIDTH);
      expect(o).toMatch(/Lamna Healthcare/);
    }
  });
});
