/**
 * What a reader sees, measured in the browser: the timeline's markers as drawn, and where the
 * text of SKU names wraps. Each helper runs its measurement in the page (page.evaluate).
 */
import type { Page } from "playwright-core";
import { loadCatalog } from "../../src/catalog/index.js";

export interface DrawnMarker {
  /** The number or group size written in the shape. */
  n: string;
  /** The tooltip. */
  title: string;
  kind: string;
  date: string;
  /** The shape's box on the page. */
  box: { x: number; y: number; width: number; height: number };
}

/** Runs in the page (the tests' TypeScript has no DOM types: browser code is a string). */
const DRAWN_MARKERS = `[...document.querySelectorAll("g.marker")].map((g) => {
  const r = g.querySelector("use").getBoundingClientRect();
  return {
    n: g.querySelector("text")?.textContent ?? "",
    title: g.querySelector("title")?.textContent ?? "",
    kind: /\\bk-([a-z-]+)/.exec(g.getAttribute("class") ?? "")?.[1] ?? "",
    date: g.getAttribute("data-date") ?? "",
    box: { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height },
  };
})`;

export function drawnMarkers(page: Page): Promise<DrawnMarker[]> {
  return page.evaluate<DrawnMarker[]>(DRAWN_MARKERS);
}

/** Pairs of markers whose shapes cover each other (more than a hairline where their strokes touch). */
export function overlapping(markers: readonly DrawnMarker[]): string[] {
  const out: string[] = [];
  for (const [i, a] of markers.entries()) {
    for (const b of markers.slice(i + 1)) {
      const w = Math.min(a.box.x + a.box.width, b.box.x + b.box.width) - Math.max(a.box.x, b.box.x);
      const h = Math.min(a.box.y + a.box.height, b.box.y + b.box.height) - Math.max(a.box.y, b.box.y);
      if (w > 1 && h > 1) out.push(`${a.n} (${a.date}) and ${b.n} (${b.date})`);
    }
  }
  return out;
}

/** The catalog's SKU part numbers in the page's text (as read: <wbr> is no character). */
export async function skusShown(page: Page): Promise<string[]> {
  const text = await page.evaluate<string>("document.body.textContent");
  const parts = new Set(loadCatalog().skus.map((s) => s.skuPartNumber));
  return [...parts].filter((p) => new RegExp(`(^|[^\\w])${p.replace(/[^\w]/g, "\\$&")}($|[^\\w])`).test(text));
}

/**
 * Every word of every SKU name shown (the parts between its underscores: O365, BUSINESS,
 * ESSENTIALS) that the browser laid out over more than one line. Closed <details> are opened first.
 */
export function skuWordsBroken(page: Page, skus: readonly string[]): Promise<string[]> {
  const words = [...new Set(skus.flatMap((s) => s.split("_")).filter((w) => w.length >= 2))];
  return page.evaluate<string[]>(`(() => {
    const words = ${JSON.stringify(words)};
    document.querySelectorAll("details").forEach((d) => (d.open = true));
    const broken = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? "";
      for (const m of text.matchAll(/[A-Za-z0-9]+/g)) {
        if (!words.includes(m[0])) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0] + ' in "' + text.trim().slice(0, 80) + '"');
      }
    }
    return broken;
  })()`);
}
