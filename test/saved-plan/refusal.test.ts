/** What a refused saved plan says: the plan files that changed, and --partial only when it would apply something. */
import { describe, expect, it } from "vitest";
import { changedPlanFiles, staleRefusal } from "../../src/saved-plan/refusal.js";

const files = (entries: Record<string, string>) => Object.entries(entries).map(([path, sha256]) => ({ path, sha256 }));

describe("a refused saved plan", () => {
  it("names only the plan files whose content changed, was added or is gone", () => {
    const saved = files({ "plans/a.yaml": "1", "plans/b.yaml": "2", "plans/c.yaml": "3", "plans/d.yaml": "4", "plans/e.yaml": "5" });
    expect(
      changedPlanFiles(saved, files({ "plans/a.yaml": "1", "plans/b.yaml": "2", "plans/c.yaml": "3x", "plans/d.yaml": "4", "plans/e.yaml": "5" })),
    ).toEqual(["plans/c.yaml"]);
    expect(changedPlanFiles(files({ "plans/b.yaml": "2" }), files({ "plans/b.yaml": "2", "plans/a.yaml": "1" }))).toEqual(["plans/a.yaml"]);
    expect(changedPlanFiles(saved.slice(0, 2), saved.slice(0, 1))).toEqual(["plans/b.yaml"]);
    // The set hash differed though no file did (paths spelled differently): all of them, never "()".
    expect(changedPlanFiles(saved.slice(0, 2), saved.slice(0, 2))).toEqual(["plans/a.yaml", "plans/b.yaml"]);
  });

  it("names them in path order, whatever order they were read in", () => {
    const saved = files({ "plans/z.yaml": "1", "plans/m.yaml": "2", "plans/a.yaml": "3" });
    expect(changedPlanFiles(saved, files({ "plans/z.yaml": "1x", "plans/m.yaml": "2", "plans/a.yaml": "3x" }))).toEqual(["plans/a.yaml", "plans/z.yaml"]);
    expect(changedPlanFiles(saved, saved)).toEqual(["plans/a.yaml", "plans/m.yaml", "plans/z.yaml"]);
  });

  it("offers --partial only when another customer still has changes to apply", () => {
    expect(staleRefusal(1, 0)).toBe("1 customer changed since the plan was saved; nothing was applied. Run plan again");
    expect(staleRefusal(2, 1)).toBe(
      "2 customers changed since the plan was saved; nothing was applied. Run plan again, or apply the changes of the other customer with --partial",
    );
    expect(staleRefusal(1, 3)).toMatch(/the other 3 customers with --partial$/);
  });
});
