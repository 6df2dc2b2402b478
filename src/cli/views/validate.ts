/**
 * What `validate` prints, one view per `--format`: each diagnostic and a summary line (text), or
 * one JSON document; under GitHub Actions also workflow annotations (on stderr with JSON, so
 * stdout stays one document).
 */
import { formatDiagnostic, type Diagnostic, type LoadResult } from "../../plan-file/index.js";
import { plural } from "../../util/plural.js";
import type { Io } from "../io.js";

export const VALIDATE_FORMATS = ["text", "json"] as const;
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

export interface ValidateView {
  show(result: LoadResult, valid: boolean): void;
  /** GitHub workflow annotations, one per diagnostic. */
  annotate(diagnostics: readonly Diagnostic[]): void;
}

export function validateView(format: ValidateFormat, io: Io): ValidateView {
  const annotate = (diagnostics: readonly Diagnostic[], to: (s: string) => void) => {
    for (const d of diagnostics) to(githubAnnotation(d) + "\n");
  };
  if (format === "json") {
    return {
      show: (result, valid) => io.out(JSON.stringify({ formatVersion: 1, valid, files: result.files, diagnostics: result.diagnostics }, null, 2) + "\n"),
      annotate: (diagnostics) => annotate(diagnostics, (s) => io.err(s)),
    };
  }
  return {
    show: (result) => {
      for (const d of result.diagnostics) io.out(formatDiagnostic(d) + "\n");
      io.out(summaryLine(result) + "\n");
    },
    annotate: (diagnostics) => annotate(diagnostics, (s) => io.out(s)),
  };
}

/** GitHub workflow command escaping: the message (data) and, stricter, the properties. */
const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

export function githubAnnotation(d: Diagnostic): string {
  const props = [`file=${escapeProperty(d.file)}`, `line=${d.line}`, `col=${d.col}`, `title=${escapeProperty("pcplan validate")}`].join(",");
  return `::${d.severity === "warning" ? "warning" : "error"} ${props}::${escapeData(d.path ? `${d.path} ${d.message}` : d.message)}`;
}

/** "2 errors in 1 of 4 files.": the files that need fixing, out of the files checked. */
export function summaryLine(result: LoadResult): string {
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  const warnings = result.diagnostics.length - errors.length;
  const files = result.files.length;
  if (errors.length === 0) return `${plural(files, "plan file")} valid${warnings ? `, ${plural(warnings, "warning")}` : ""}.`;
  // A path that does not exist or cannot be read has errors but is not among the files read.
  const bad = new Set(errors.map((d) => d.file));
  const checked = new Set([...result.files.map((f) => f.path), ...bad]).size;
  const where = bad.size === checked ? plural(checked, "file") : `${bad.size} of ${plural(checked, "file")}`;
  return `${plural(errors.length, "error")}${warnings ? `, ${plural(warnings, "warning")}` : ""} in ${where}.`;
}
