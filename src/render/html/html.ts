/**
 * HTML built only through the `html` tag: every interpolated value is escaped unless it is
 * already `Html`. Customer names, UPNs and notes come from Partner Center and plan files and
 * are untrusted text; with this tag forgetting to escape one is not possible.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text for an element body or a double-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function partToString(v: Part): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return (v as readonly Part[]).map(partToString).join("");
  if (v === null || v === undefined || v === false || v === true) return "";
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += partToString(values[i]) + (strings[i + 1] ?? "");
  return new Html(out);
}

/** Markup written by pcplan itself (styles, script, static SVG). Never pass data through it. */
export function trusted(markup: string): Html {
  return new Html(markup);
}
