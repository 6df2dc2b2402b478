import { Option, type Command } from "commander";
import { renderJson } from "../../render/json.js";
import { renderMarkdown } from "../../render/markdown.js";
import { renderText } from "../../render/text.js";
import { readSavedPlan } from "../../saved-plan/saved-plan.js";
import { useColor } from "../terminal.js";

export function registerShowCommand(program: Command): void {
  program
    .command("show")
    .summary("print a saved plan")
    .description("Prints a saved plan (from `plan --out`) after checking its integrity. Reads nothing from Partner Center.")
    .argument("<planfile>", "saved plan file")
    .addOption(new Option("--format <format>", "output format").choices(["text", "markdown", "json"]).default("text"))
    .action(async (file: string, flags: { format: "text" | "markdown" | "json" }) => {
      const saved = await readSavedPlan(file);
      const customers = saved.customers.map((c) => c.plan);
      if (flags.format === "json") process.stdout.write(renderJson(customers));
      else if (flags.format === "markdown") process.stdout.write(renderMarkdown(customers));
      else {
        process.stderr.write(`Saved plan ${file}: created ${saved.createdAt} against ${saved.endpoint}, plan files ${saved.plansHash.slice(0, 19)}…\n\n`);
        process.stdout.write(renderText(customers, { color: useColor() }));
      }
    });
}
