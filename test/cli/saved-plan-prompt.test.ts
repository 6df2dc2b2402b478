/**
 * A saved plan is applied without a prompt, as `terraform apply PLANFILE` does
 * (developer.hashicorp.com/terraform/cli/commands/apply, "Saved Plan Mode"): reviewing the saved
 * plan was the approval. Plan files still ask on a terminal. In-process through `main`, with an
 * Io that says it is a terminal and records every question; the demo sandbox in a temp folder.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { Io } from "../../src/cli/io.js";
import { tempCheckout } from "../helpers/cli.js";
import { DEMO } from "../helpers/demo-customers.js";

const NOW = "2026-11-24T00:00:00Z";

function terminal(answer: boolean): Io & { questions: string[]; text: () => string } {
  const questions: string[] = [];
  let text = "";
  return {
    questions,
    text: () => text,
    out: (t) => void (text += t),
    err: (t) => void (text += t),
    color: false,
    interactive: true,
    progress: () => ({ update: () => undefined, end: () => undefined }),
    confirm: (q) => {
      questions.push(q);
      return Promise.resolve(answer);
    },
  };
}

describe("apply and the prompt", () => {
  const home = process.cwd();
  beforeEach(async () => process.chdir(await tempCheckout()));
  afterEach(() => process.chdir(home));

  it("asks before applying plan files on a terminal, and applies a saved plan without asking", { timeout: 60_000 }, async () => {
    const run = (args: string[], io: Io) => main(["node", "pcplan", ...args, "--sandbox", "--now", NOW, "--customer", DEMO.woodgrove], io);
    const declined = terminal(false);
    expect(await run(["apply"], declined)).toBe(1);
    expect(declined.questions).toEqual([expect.stringMatching(/^Apply \d+ changes to Partner Center/)]);
    expect(declined.text()).toContain("Apply cancelled; nothing was applied");

    expect(await run(["plan", "--out", "plan.json"], terminal(false))).toBe(0);
    const saved = terminal(false);
    expect(await run(["apply", "plan.json"], saved), saved.text()).toBe(0);
    expect(saved.questions).toEqual([]);
    expect(saved.text()).toMatch(/Apply complete: \d+ changes applied\./);
  });
});
