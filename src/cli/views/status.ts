/** What `status` shows, one view per `--format`: text or JSON (stdout or `--out`), or the HTML page (`--out`). */
import { renderStatusHtml, type ReportMeta } from "../../render/html/index.js";
import { renderStatusJson, renderStatusText, type StatusReport } from "../../status/index.js";
import type { Io } from "../io.js";
import { deliver } from "./output.js";

export const STATUS_FORMATS = ["text", "json", "html"] as const;
export type StatusFormat = (typeof STATUS_FORMATS)[number];

export interface StatusView {
  /** A page (HTML): written to `--out`, which it needs. */
  readonly page: boolean;
  show(report: StatusReport, meta: ReportMeta, out: string | undefined): Promise<void>;
}

const RENDER: Record<StatusFormat, (report: StatusReport, meta: ReportMeta) => string> = {
  text: (report) => renderStatusText(report),
  json: (report) => renderStatusJson(report),
  html: (report, meta) => renderStatusHtml(report, meta),
};

export function statusView(format: StatusFormat, io: Io): StatusView {
  return {
    page: format === "html",
    show: (report, meta, out) => deliver(io, RENDER[format](report, meta), out, "the status report"),
  };
}
