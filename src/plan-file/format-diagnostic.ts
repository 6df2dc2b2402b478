import type { Diagnostic } from "./types.js";

/**
 * `FILE:LINE:COL  path  message`, two spaces between fields. Warnings put "warning: " before the
 * message, so the location stays first (editors and terminals link it). A diagnostic about a
 * whole file or document has no field path and shows "-" in its place.
 */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}  ${d.path || "-"}  ${d.severity === "warning" ? "warning: " : ""}${d.message}`;
}
