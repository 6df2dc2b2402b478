import { existsSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { chromium, type Browser, type Page, type Request } from "playwright-core";

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it). Playwright never downloads a browser here. */
export const CHROMIUM = process.env.PCPLAN_CHROMIUM ?? "/usr/bin/chromium";

/**
 * .ci/run installs a missing Chromium in the background, beside `npm ci`, the build and the first
 * tests, and names in PCPLAN_CHROMIUM_INSTALL the file the install's exit status is written to once
 * it ends. The browser files wait for it here (they start a minute or more into the tests, so it
 * has mostly ended); in CI a failed install fails them rather than skipping them.
 */
async function chromiumReady(): Promise<boolean> {
  const status = process.env.PCPLAN_CHROMIUM_INSTALL;
  if (!status) return existsSync(CHROMIUM);
  const deadline = Date.now() + 10 * 60_000;
  while (!existsSync(status)) {
    if (Date.now() > deadline) throw new Error(`Chromium's install did not end within 10 minutes (${status} not written)`);
    await sleep(250);
  }
  const code = readFileSync(status, "utf8").trim();
  if (code !== "0" || !existsSync(CHROMIUM)) throw new Error(`Chromium's install failed (exit ${code}; no ${CHROMIUM}): see .ci/run's output`);
  return true;
}

export const HAVE_CHROMIUM = await chromiumReady();

/**
 * Flags that keep Chromium off the network: without the background-networking ones it tries to
 * reach Google's hosts at every start. `headless: true` adds --headless, and Playwright gives
 * every launch a fresh, empty --user-data-dir of its own (it refuses one in `args`).
 */
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/**
 * The report is served by route interception at a loopback address nothing listens on: the
 * document request is answered from the file, every other request is recorded and aborted.
 */
export const REPORT_URL = "http://127.0.0.1:9/report.html";

export interface OpenedReport {
  page: Page;
  /** Requests other than the document itself: must stay empty. */
  leaks: string[];
  /** Console errors and uncaught exceptions (CSP refusals show up here too). */
  errors: string[];
}

export async function openReport(browser: Browser, htmlText: string, opts: { width: number; javaScript?: boolean; dark?: boolean }): Promise<OpenedReport> {
  const context = await browser.newContext({
    viewport: { width: opts.width, height: 900 },
    javaScriptEnabled: opts.javaScript ?? true,
    colorScheme: opts.dark ? "dark" : "light",
    serviceWorkers: "block",
  });
  const page = await context.newPage();
  const leaks: string[] = [];
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r: Request) => {
    if (r.url() !== REPORT_URL) leaks.push(r.url());
  });
  await context.route("**/*", (route) =>
    route.request().url() === REPORT_URL
      ? route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: htmlText })
      : route.abort("blockedbyclient"),
  );
  await page.goto(REPORT_URL, { waitUntil: "load" });
  return { page, leaks, errors };
}
