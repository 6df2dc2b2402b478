/**
 * Issue 12, what people read first, where it can be checked without a terminal: FORCE_COLOR
 * colours the preview when stdout is a pipe, NO_COLOR (or FORCE_COLOR=0) keeps it plain, and
 * plain is the default off a terminal. A child process: what is under test is the shipped
 * entry's reading of its own environment and of its stdout being a pipe. (`--help`: help.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../helpers/demo-customers.js";
import { startDemoRun, type DemoRun } from "../helpers/demo-run.js";

// eslint-disable-next-line no-control-regex -- an SGR escape is what colour is
const SGR = /\u001b\[[0-9;]*m/;

describe("colour off a terminal", () => {
  let run: DemoRun;
  beforeAll(async () => {
    run = await startDemoRun();
  });
  afterAll(async () => {
    await run.close();
  });

  it.each([
    ["FORCE_COLOR=1 colours a pipe", { FORCE_COLOR: "1", NO_COLOR: undefined }, true],
    ["FORCE_COLOR=1 wins over NO_COLOR", { FORCE_COLOR: "1", NO_COLOR: "1" }, true],
    ["NO_COLOR keeps it plain", { FORCE_COLOR: undefined, NO_COLOR: "1" }, false],
    ["FORCE_COLOR=0 keeps it plain", { FORCE_COLOR: "0", NO_COLOR: undefined }, false],
    ["a pipe is plain by default", { FORCE_COLOR: undefined, NO_COLOR: undefined }, false],
  ])("%s", async (_name, env, coloured) => {
    const r = await run.cli(["plan", "--customer", DEMO.contoso], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("purchase DESKLESSPACK × 12");
    expect(SGR.test(r.stdout)).toBe(coloured);
  });
});
