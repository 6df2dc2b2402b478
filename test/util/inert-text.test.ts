/** Issue 22 §6: zero-width characters in server text (a company name) are stripped, for every format that prints it. */
import { describe, expect, it } from "vitest";
import { inert, inertMarkdown } from "../../src/util/inert-text.js";

describe("inert", () => {
  it("strips characters that render as nothing", () => {
    expect(inert("Con\u200bto\u200cso\u200d \u2060Ltd\ufeff\u00ad")).toBe("Contoso Ltd");
  });
  it("still neutralises control characters and line breaks", () => {
    expect(inert("a\u001b[2Jb\nc")).toBe("a\ufffd[2Jb c");
  });
});

describe("inertMarkdown", () => {
  it.each([
    ["[Click to approve](https://evil.example/a)", "&#91;Click to approve&#93;(https&#58;//evil.example/a)"],
    ["![img](x.png)", "!&#91;img&#93;(x.png)"],
    ["`code`", "&#96;code&#96;"],
    ["a | b", "a &#124; b"],
    ["# Heading", "&#35; Heading"],
    ["<img src=x> & co", "&lt;img src=x&gt; &amp; co"],
    ["www.evil.example", "www&#46;evil.example"],
    ["*em* ~~s~~ $x$ \\", "&#42;em&#42; &#126;&#126;s&#126;&#126; &#36;x&#36; &#92;"],
    ["_em_ but O365_BUSINESS_PREMIUM", "&#95;em&#95; but O365_BUSINESS_PREMIUM"],
    ["@everyone", "&#64;everyone"],
    ["- item", "&#45; item"],
    ["+ item", "&#43; item"],
    ["12. item", "12&#46; item"],
    ["3) item", "3&#41; item"],
    ["Contoso Ltd. - 12. Floor", "Contoso Ltd. - 12. Floor"],
  ])("%s", (text, expected) => {
    expect(inertMarkdown(text)).toBe(expected);
  });
});
