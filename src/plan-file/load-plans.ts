import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { relative, sep } from "node:path";
import pLimit from "p-limit";
import { loadCatalog } from "../catalog/load-catalog.js";
import type { SkuCatalog } from "../catalog/types.js";
import { checkAcrossPlans } from "./check-across-plans.js";
import { checkPlan, type CheckedPlan } from "./check-plan.js";
import { collectFiles } from "./collect-files.js";
import type { DiagnosticCode } from "./diagnostic-codes.js";
import { formatPath } from "../util/field-path.js";
import { parseYaml, type ParsedDocument } from "./parse-yaml.js";
import type { RawPlan } from "./raw-plan.js";
import { schemaProblems } from "./schema-messages.js";
import { planValidator } from "./schema-validator.js";
import type { ValidateFunction } from "../util/ajv.js";
import type { Diagnostic, LoadPlansOptions, LoadResult } from "./types.js";

const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
const utf8 = new TextDecoder("utf-8", { fatal: true });

interface FileText {
  path: string;
  content: Buffer;
}

/**
 * Loads and validates plan files. Never throws for bad input: every problem becomes a Diagnostic,
 * and `plans` holds only the plans without errors.
 */
export async function loadPlans(paths: string[], opts: LoadPlansOptions = {}): Promise<LoadResult> {
  const cwd = opts.cwd ?? process.cwd();
  const catalog = opts.catalog ?? loadCatalog();
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const display = (abs: string) => relative(cwd, abs).split(sep).join("/") || ".";
  const diagnostics: Diagnostic[] = [];
  const fileProblem = (file: string, code: DiagnosticCode, message: string, severity: Diagnostic["severity"] = "error") =>
    diagnostics.push({ severity, code, file, line: 1, col: 1, path: "", message });

  const collected = await collectFiles(paths, cwd);
  const limit = pLimit(16);
  const texts = await Promise.all(
    collected.map((c) =>
      limit(async (): Promise<FileText | undefined> => {
        const file = display(c.abs);
        if (c.kind === "missing") return void fileProblem(c.given, "file-not-found", `no such file or directory: ${c.given}`);
        if (c.kind === "empty-dir") return void fileProblem(file, "no-plan-files", "no .yaml or .yml files in this directory", "warning");
        try {
          const size = (await stat(c.abs)).size;
          if (size > maxBytes) return void fileProblem(file, "file-too-large", `file is ${size} bytes, over the ${maxBytes}-byte limit for plan files`);
          return { path: file, content: await readFile(c.abs) };
        } catch (err) {
          return void fileProblem(file, "file-unreadable", `cannot read file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
        }
      }),
    ),
  );

  // Sorted by path: the "first" of two clashing plans must not depend on argument order.
  const files = texts.filter((t): t is FileText => t !== undefined).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const checked: CheckedPlan[] = [];
  const validate = await planValidator();
  for (const f of files) {
    let text: string;
    try {
      text = utf8.decode(f.content).replace(/^\uFEFF/, "");
    } catch {
      fileProblem(f.path, "file-encoding", "file is not valid UTF-8 text");
      continue;
    }
    const { documents, problems } = parseYaml(text);
    for (const p of problems) diagnostics.push({ severity: "error", code: p.code, file: f.path, line: p.line, col: p.col, path: p.path, message: p.message });
    for (const doc of documents) {
      if (doc) {
        const plan = validateDocument(doc, f.path, { catalog, validate }, diagnostics);
        if (plan) checked.push(plan);
      }
    }
  }

  const failedAcross = checkAcrossPlans(checked, diagnostics);
  const plans = checked.flatMap((c) => (c.plan && !failedAcross.has(c) ? [c.plan] : []));

  const hash = createHash("sha256");
  for (const f of files) hash.update(f.path).update("\0").update(f.content).update("\0");

  return {
    plans,
    diagnostics: sortDiagnostics(diagnostics),
    files: files.map((f) => ({ path: f.path, sha256: createHash("sha256").update(f.content).digest("hex") })),
    hash: hash.digest("hex"),
  };
}

/** Shape check (not-a-plan, schema), then the plan's own semantic checks. */
function validateDocument(
  doc: ParsedDocument,
  file: string,
  { catalog, validate }: { catalog: SkuCatalog; validate: ValidateFunction },
  out: Diagnostic[],
): CheckedPlan | undefined {
  const value = doc.value;
  const root = doc.locator.position([]);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    out.push({
      severity: "error",
      code: "not-a-plan",
      file,
      ...root,
      path: "",
      message: "not a pcplan plan: expected a mapping with apiVersion: pcplan/v1 and kind: MigrationPlan",
    });
    return undefined;
  }
  const { apiVersion, kind } = value as Record<string, unknown>;
  if (kind !== "MigrationPlan" && !(typeof apiVersion === "string" && apiVersion.startsWith("pcplan/"))) {
    const found = apiVersion === undefined && kind === undefined ? "" : ` (found apiVersion ${JSON.stringify(apiVersion)}, kind ${JSON.stringify(kind)})`;
    out.push({
      severity: "error",
      code: "not-a-plan",
      file,
      ...root,
      path: "",
      message: `not a pcplan plan${found}: expected apiVersion: pcplan/v1 and kind: MigrationPlan`,
    });
    return undefined;
  }
  if (!validate(value)) {
    for (const p of schemaProblems(validate.errors ?? [], value)) {
      out.push({ severity: "error", code: "schema", file, ...doc.locator.position(p.at, p.anchor), path: formatPath(p.path), message: p.message });
    }
    return undefined;
  }
  return checkPlan(value as RawPlan, file, doc.locator, catalog, out);
}

function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  // Stable: same position keeps emission order.
  return list
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.file < b.d.file ? -1 : a.d.file > b.d.file ? 1 : a.d.line - b.d.line || a.d.col - b.d.col || a.i - b.i))
    .map((x) => x.d);
}
