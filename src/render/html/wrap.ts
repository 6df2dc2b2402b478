import { html, type Html } from "./html.js";

/**
 * Text that may wrap only between its parts: a break opportunity (`<wbr>`) after each `_`, `@`,
 * `.` and `/` that a letter or digit follows. SKU part numbers (O365_BUSINESS_ESSENTIALS), UPNs
 * and catalog ids then wrap at their separators on a phone, never inside a word.
 */
export function breakable(text: string): Html {
  const parts = text.split(/(?<=[_@./])(?=[A-Za-z0-9])/);
  return html`${parts.map((p, i) => (i === 0 ? p : html`<wbr>${p}`))}`;
}
