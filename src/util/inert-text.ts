/**
 * Text that came from a server (company names, user principal names, error descriptions) made
 * inert for a terminal or a log: escape sequences and control characters (C0, DEL, C1, and the
 * Unicode line/paragraph separators and bidi overrides) become a visible `�` or a space, so a
 * name cannot move the cursor, recolour the screen or forge a line such as "Apply complete".
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAKS = /[\r\n\t]+/g;
/** Characters that render as nothing (zero-width space, joiners, word joiner, BOM, soft hyphen): they hide text inside a name; removed. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200d\u2060\ufeff]/g;

export function inert(text: string): string {
  return text.replace(INVISIBLE, "").replace(LINE_BREAKS, " ").replace(CONTROL, "\ufffd");
}

/** Characters markdown (GitHub's) reads as markup anywhere in a line, as numeric references. */
const MARKDOWN_MARKUP: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  // `@` would mention (notify) people in a PR comment.
  "@": "&#64;",
  "\\": "&#92;",
  "`": "&#96;",
  "*": "&#42;",
  "~": "&#126;",
  "[": "&#91;",
  "]": "&#93;",
  "|": "&#124;",
  "#": "&#35;",
  $: "&#36;",
};

/**
 * Text for a markdown view (the PR comment, the step summary), shown as the same characters and
 * never read as markup: no link or image (`[Click to approve](https://…)`, `![x](…)`), no inline
 * HTML, code span, emphasis, table cell break (`|`), heading (`#`), list or quote, math (`$`), nor
 * mention (`@`). Markup characters become numeric character references, which markdown shows as
 * the character itself, in a paragraph or a table cell as well as inside an HTML block (the
 * preview's `<summary>`); `_` only where it could open or close emphasis (not inside a word,
 * so `O365_BUSINESS_ESSENTIALS` stays as it is), a list marker only at the start. GitHub turns a
 * bare `https://…` or `www.…` into a link: `://` and `www.` are broken with a reference, after
 * which cmark-gfm sees no link. An e-mail address still becomes a `mailto:` link to exactly the
 * address shown (its autolink is found after references are read, and nothing short of inline
 * HTML stops it). Expects text already `inert` (no control characters).
 */
export function inertMarkdown(text: string): string {
  return text
    .replace(/[&<>@\\`*~[\]|#$]/g, (c) => MARKDOWN_MARKUP[c] ?? c)
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, "&#95;")
    .replace(/:\/\//g, "&#58;//")
    .replace(/\b(www)\./gi, "$1&#46;")
    .replace(/^(\s*)([-+])(?=\s|$)/, (_, lead: string, c: string) => `${lead}${reference(c)}`)
    .replace(/^(\s*\d+)([.)])(?=\s|$)/, (_, lead: string, c: string) => `${lead}${reference(c)}`);
}

function reference(c: string): string {
  return `&#${c.charCodeAt(0)};`;
}
