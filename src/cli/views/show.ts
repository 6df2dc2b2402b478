/** What `show` prints: a saved plan's preview in the format asked, with where it came from (text only, on stderr). */
import { PREVIEW_FORMATS, renderPreview, type PreviewFormat } from "../../render/preview.js";
import type { SavedPlan } from "../../saved-plan/saved-plan.js";
import type { Io } from "../io.js";

export const SHOW_FORMATS = PREVIEW_FORMATS;
export type ShowFormat = PreviewFormat;

export interface ShowView {
  show(saved: SavedPlan, file: string): void;
}

export function showView(format: ShowFormat, io: Io): ShowView {
  return {
    show(saved, file) {
      if (format === "text")
        io.err(`Saved plan ${file}: created ${saved.createdAt} against ${saved.endpoint}, plan files ${saved.plansHash.slice(0, 12)}…\n\n`);
      io.out(renderPreview(format, { customers: saved.customers.map((c) => c.plan), now: saved.now, color: io.color }));
    },
  };
}
