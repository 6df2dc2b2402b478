import { Option, type Command } from "commander";
import { formatDiagnostic, loadPlans, type Diagnostic, type LoadResult } from "../../plan-file/index.js";
import { plural } from "../../util/plural.js";
import { examples, handler, type CliContext } from "../context.js";
import { ExitCode } from "../outcome.js";

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

export function registerValidateCommand(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  program
    .command("validate")
    .summary("check plan files")
    .description(
      "Checks plan files against the schema and the SKU catalog: unknown SKUs, feature coverage, customers listed twice. " +
        "Exit 0 when valid, 1 when not. Under GitHub Actions (GITHUB_ACTIONS=true) also prints ::error/::warning annotations.",
    )
    .argument("[paths...]", "plan files or folders (folders: *.yaml/*.yml, recursively)", ["plans/"])
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addHelpText("after", examples("pcplan validate", "pcplan validate plans/office365-f1.yaml --format json"))
    .action(
      handler(ctx, async (paths: string[], flags: { format: "text" | "json" }) => {
        const result = await loadPlans(paths);
        const valid = !result.diagnostics.some((d) => d.severity === "error");
        if (flags.format === "json") {
          io.out(JSON.stringify({ formatVersion: 1, valid, files: result.files, diagnostics: result.diagnostics }, null, 2) + "\n");
        } else {
          for (const d of result.diagnostics) io.out(formatDiagnostic(d) + "\n");
          io.out(summaryLine(result) + "\n");
        }
        if (process.env.GITHUB_ACTIONS === "true") {
          // Workflow commands are read from either stream; stderr keeps --format json's stdout pure JSON.
          for (const d of result.diagnostics) {
            const line = githubAnnotation(d) + "\n";
            if (flags.format === "json") io.err(line);
            else io.out(line);
          }
        }
        return valid ? ExitCode.Ok : ExitCode.Error;
      }),
    );
}
