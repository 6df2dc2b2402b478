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
