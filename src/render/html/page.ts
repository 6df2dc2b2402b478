import { createHash } from "node:crypto";
import { isoDate, utcTime } from "./format.js";
import { html, trusted, type Html } from "./html.js";
import { SCRIPT } from "./script.js";
import { STYLES } from "./styles.js";

/** What the page says about its own making; passed in so rendering stays pure. */
export interface ReportMeta {
  /** When the report was written (ISO). */
  generatedAt: string;
  /** sha256 of the plan files (LoadResult.hash). */
  plansHash: string;
  /** pcplan's version. */
  version: string;
  /** Deadlines within this many days are marked (`--warn-days`). */
  warnDays: number;
}

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/**
 * Nothing may be fetched and nothing but pcplan's own style and script may run: whatever a
 * customer name smuggles in, the browser refuses it a second time.
 */
const CSP = `default-src 'none'; style-src ${sha256(STYLES)}; script-src ${sha256(SCRIPT)}; base-uri 'none'; form-action 'none'`;

export interface PageParts {
  title: string;
  heading: string;
  /** Under the heading. */
  sub: Html;
  /** Short facts shown as chips under the heading. */
  summary: readonly (string | Html)[];
  body: Html;
  /** The report's reference time for deadlines. */
  now: string;
}

/** One self-contained page: inline CSS and script allowed by hash, no external resource. */
export function renderPage(parts: PageParts, meta: ReportMeta): string {
  const asOf =
    isoDate(parts.now) === isoDate(meta.generatedAt) ? "" : html`<dt>Deadlines as of</dt><dd><time datetime="${parts.now}">${utcTime(parts.now)}</time></dd>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="pcplan ${meta.version}">
<title>${parts.title}</title>
<style>${trusted(STYLES)}</style>
</head>
<body>
<header>
<h1>${parts.heading}</h1>
<p class="sub">${parts.sub}</p>
<ul class="summary">${parts.summary.map((s) => html`<li>${s}</li>`)}</ul>
</header>
<main>
${parts.body}
</main>
<footer>
<dl>
<dt>Generated</dt><dd><time datetime="${meta.generatedAt}">${utcTime(meta.generatedAt)}</time></dd>
${asOf}<dt>Plan files</dt><dd>sha256 <code class="hash">${meta.plansHash}</code></dd>
<dt>pcplan</dt><dd>version <span class="version">${meta.version}</span></dd>
</dl>
</footer>
<script>${trusted(SCRIPT)}</script>
</body>
</html>
`.value;
}
