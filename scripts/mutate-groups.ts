/**
 * The file groups `npm run mutate` scores (scripts/mutate.ts) and, for each, the tests its mutants
 * run against (vitest.mutate.config.ts reads them). Each group runs as its own Stryker run.
 *
 * Why not every in-process test against every mutant: Stryker runs, per mutant, every test that
 * covered it. A whole-world test (`*.e2e.test.ts`: the sandbox, whole plans and applies, 3–26 s a
 * file) covers nearly every mutant of the HTTP layer and the executor, so one survivor re-ran
 * minutes of tests and the run would have taken days here (docs/testing.md, "Mutation testing").
 * Each group runs instead against the fast tests that pin it: its own folder's tests and the
 * in-process tests of the modules that call it. The e2e files stay in `npm test`; what they check
 * end to end is also asserted by these smaller tests.
 */
export interface MutateGroup {
  /** The name on the score table, `npm run mutate -- <name>`, and `PCPLAN_MUTATE_GROUP`. */
  readonly name: string;
  /** The files mutated (Stryker's `mutate`). */
  readonly mutate: readonly string[];
  /** The test files run against them (vitest `include`). */
  readonly tests: readonly string[];
}

/** The tests of the pure decisions: what the plan would do, its rendering and saved form. */
const decisionTests = [
  "test/reconcile/**/*.test.ts",
  "test/actions/**/*.test.ts",
  "test/render/**/*.test.ts",
  "test/saved-plan/**/*.test.ts",
  "test/gitops/status.test.ts",
];

/** The executor's tests: applies against a scripted Partner Center and the sandbox, in-process. */
const applyTests = [
  "test/apply/**/*.test.ts",
  "test/journal/**/*.test.ts",
  "test/cli/apply-outcome.test.ts",
  "test/cli/journal-scope.test.ts",
  "test/util/state-files.test.ts",
];

export const MUTATE_GROUPS: readonly MutateGroup[] = [
  {
    name: "journal",
    mutate: ["src/journal/**/*.ts"],
    tests: applyTests,
  },
  {
    name: "saved-plan",
    mutate: ["src/saved-plan/**/*.ts"],
    tests: [...decisionTests, "test/hostile/hostile-input.test.ts", "test/cli/saved-plan-prompt.test.ts"],
  },
  {
    name: "actions",
    mutate: ["src/actions/**/*.ts"],
    tests: [...decisionTests, ...applyTests],
  },
  {
    name: "reconcile",
    mutate: ["src/reconcile/**/*.ts"],
    tests: [...decisionTests, "test/report/**/*.test.ts", "test/apply/commerce.test.ts", "test/apply/access-check.test.ts", "test/cli/apply-outcome.test.ts"],
  },
  {
    name: "apply",
    mutate: ["src/apply/**/*.ts"],
    tests: applyTests,
  },
  {
    name: "http",
    mutate: ["src/http/retry.ts", "src/http/scopes.ts", "src/http/transport.ts", "src/http/budget/**/*.ts"],
    // The layer's own tests and the Partner Center client's over scripted services. Not the
    // simulations of whole loads through the real transport (budget.e2e.test.ts, budget-bound.e2e.test.ts:
    // 15 s here, 60 s under load) nor client-sandbox.test.ts (whole sandbox reads, 7 s): each
    // covers every transport and budget mutant, so every survivor re-ran them (the group was
    // estimated at 1.5–3 hours with them, 2026-12-05).
    tests: ["test/http/!(budget|budget-bound).test.ts", "test/partner-center/!(client-sandbox).test.ts"],
  },
];

/** A group by name; unknown names are refused with the list of known ones. */
export function mutateGroup(name: string): MutateGroup {
  const group = MUTATE_GROUPS.find((g) => g.name === name);
  if (group === undefined) {
    throw new Error(`unknown mutation group "${name}"; known: ${MUTATE_GROUPS.map((g) => g.name).join(", ")}`);
  }
  return group;
}

/** The tests to run: one group's, or (no group named) every group's, each file once. */
export function mutateTests(name: string | undefined): string[] {
  const groups = name === undefined || name === "" ? MUTATE_GROUPS : [mutateGroup(name)];
  return [...new Set(groups.flatMap((g) => g.tests))];
}
