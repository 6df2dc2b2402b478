/** Issue 22 §6: zero-width characters in server text (a company name) are stripped, for every format that prints it. */
import { describe, expect, it } from "vitest";
import { inert } from "../../src/util/inert-text.js";

describe("inert", () => {
  it("strips characters that render as nothing", () => {
    expect(inert("Con\u200bto\u200cso\u200d \u2060Ltd\ufeff\u00ad")).toBe("Contoso Ltd");
  });
  it("still neutralises control characters and line breaks", () => {
    expect(inert("a\u001b[2Jb\nc")).toBe("a\ufffd[2Jb c");
  });
});
