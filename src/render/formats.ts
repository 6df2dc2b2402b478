/**
 * The preview formats and the markdown limit, apart from the renderers: a command's options name
 * them, and its `--help` must not load what renders (docs/performance.md, "Cold start").
 */
export const PREVIEW_FORMATS = ["text", "markdown", "json"] as const;
export type PreviewFormat = (typeof PREVIEW_FORMATS)[number];

/** GitHub rejects comments and step summaries over 65,536 characters. */
export const GITHUB_LIMIT = 65_536;
/**
 * Left free of GITHUB_LIMIT for what a workflow adds around the preview in a PR comment (the
 * sticky marker, a status line, a footer with the run link), so the workflow posts the preview
 * whole and never cuts it: pcplan alone decides what fits (docs/gitops.md).
 */
export const COMMENT_WRAPPER_ROOM = 1_024;
/** The default cap of the markdown preview. */
export const MARKDOWN_LIMIT = GITHUB_LIMIT - COMMENT_WRAPPER_ROOM;
