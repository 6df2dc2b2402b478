/** The report's only stylesheet, inlined (and allowed by its hash in the page's Content-Security-Policy). */
export const STYLES = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;--accent:#0969da;
--done:#1a7f37;--prog:#0969da;--todo:#afb8c1;--bad:#cf222e;--lost:#6e7781;--excl:#8250df;--soon:#9a6700;--soon-fill:#d4a72c;--band:#fff8c5}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--card:#151b23;--accent:#4493f8;
--done:#3fb950;--prog:#4493f8;--todo:#656c76;--bad:#f85149;--lost:#9198a1;--excl:#ab7df8;--soon:#d29922;--soon-fill:#bb8009;--band:#2e2a17}}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;overflow-wrap:break-word}
header,main,footer{max-width:1240px;margin:0 auto;padding:0 20px}
header{padding-top:24px}
h1{font-size:1.6rem;margin:0 0 4px}
h2{font-size:1.25rem;margin:0}
h3{font-size:1rem;margin:20px 0 8px}
code,.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.8em}
.muted,.id{color:var(--muted)}
.sub{margin:0;color:var(--muted)}
.summary{display:flex;flex-wrap:wrap;gap:8px;margin:14px 0 0;padding:0;list-style:none}
.summary li{background:var(--card);border:1px solid var(--line);border-radius:999px;padding:2px 12px}
section{margin:28px 0}
.card{border:1px solid var(--line);border-radius:10px;padding:16px 18px;background:var(--bg)}
.plan-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 12px;margin-bottom:12px}
.plan-head .route{font-weight:600}
.progress-pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:12px 28px}
.progress-head{display:flex;justify-content:space-between;font-weight:600;font-size:.9rem}
.progress-total{color:var(--muted);font-weight:400}
.bar{display:block;border-radius:7px;background:var(--card);outline:1px solid var(--line);margin:4px 0 6px}
.legend{display:flex;flex-wrap:wrap;gap:2px 14px;margin:0;padding:0;list-style:none;font-size:.88rem}
.legend li,.key{display:inline-flex;align-items:center;gap:5px}
.count{font-weight:700}
.swatch{display:inline-block;width:11px;height:11px;border-radius:3px}
.bar .p-done{fill:var(--done)}.bar .p-in-progress{fill:var(--prog)}.bar .p-scheduled{fill:var(--soon-fill)}.bar .p-not-started{fill:var(--todo)}.bar .p-blocked{fill:var(--bad)}.bar .p-not-found{fill:var(--lost)}.bar .p-excluded{fill:var(--excl)}
.swatch.p-done{background:var(--done)}.swatch.p-in-progress{background:var(--prog)}.swatch.p-scheduled{background:var(--soon-fill)}.swatch.p-not-started{background:var(--todo)}
.swatch.p-blocked{background:var(--bad)}.swatch.p-not-found{background:var(--lost)}.swatch.p-excluded{background:var(--excl)}
.timeline{margin:0}
.timeline-chart{display:block;overflow:visible;font-size:12px}
.tick{stroke:var(--line);stroke-dasharray:2 3}
.tick-label{fill:var(--muted);text-anchor:middle}
.tick-label.year{font-weight:600}
.lane-label,.today text{paint-order:stroke;stroke:var(--bg);stroke-width:4px;stroke-linejoin:round}
.lane-label{fill:var(--muted);font-weight:600}
.tick-label.narrow{display:none}
.warn-band{fill:var(--band)}
.today line{stroke:var(--fg);stroke-width:2}
.today text{fill:var(--fg);font-weight:700}
.marker use{stroke:var(--bg);stroke-width:2}
.marker-n{fill:#fff;font-size:10px;font-weight:700;text-anchor:middle;pointer-events:none}
.group .marker-n{font-size:8.5px}
.u-later use{fill:var(--prog)}
.u-soon use{fill:var(--soon-fill);stroke:var(--fg);stroke-width:2}
.u-soon .marker-n{fill:#000}
.u-past use{fill:var(--bg);stroke:var(--bad);stroke-width:2.5}
.u-past .marker-n{fill:var(--bad)}
.key-shape{fill:var(--muted)}
.swatch.u-later{background:var(--prog)}.swatch.u-soon{background:var(--soon-fill);outline:2px solid var(--fg)}
.swatch.u-past{background:var(--bg);outline:2px solid var(--bad)}.swatch.band{background:var(--band);outline:1px solid var(--line)}
figcaption.legend{margin-top:4px}
.deadline-list{margin-top:10px}
.deadline-list summary{cursor:pointer;color:var(--accent)}
.deadline-list ol{list-style:none;margin:8px 0 0;padding:0;columns:2 420px;column-gap:28px}
.deadline-list li{display:flex;gap:8px;break-inside:avoid;padding:3px 0}
.deadline-list .n{flex:none;min-width:1.9em;height:1.6em;border-radius:999px;text-align:center;font-size:.8rem;font-weight:700;line-height:1.6em;background:var(--card);border:1px solid var(--line)}
.tag{font-size:.78rem;text-transform:uppercase;letter-spacing:.03em}
time{white-space:nowrap}
.tag.u-soon,time.u-soon{color:var(--soon)}.tag.u-past,time.u-past{color:var(--bad)}
.who{font-weight:600}
.filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:end;margin:8px 0 0}
.filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
.filters input,.filters select{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:5px 8px;min-width:0}
.filters output{font-size:.9rem;color:var(--muted)}
.table-wrap{margin-top:14px}
table{width:100%;border-collapse:collapse;font-size:.9rem}
caption{text-align:left;color:var(--muted);font-size:.85rem;padding-bottom:4px}
th,td{text-align:left;vertical-align:top;padding:8px 10px;border-bottom:1px solid var(--line)}
thead th{background:var(--card);font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}
tbody th{font-weight:400;min-width:12em}
.num{text-align:right;font-variant-numeric:tabular-nums}
.name{display:block;font-weight:600}
.sort{all:unset;cursor:pointer}
.sort:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
th[aria-sort] .sort::after{content:" ▲"}
th[aria-sort=descending] .sort::after{content:" ▼"}
.badge{display:inline-flex;gap:4px;align-items:center;white-space:nowrap;border-radius:999px;padding:0 9px;font-weight:600;font-size:.85rem;border:1px solid}
.badge.p-done{color:var(--done)}.badge.p-in-progress{color:var(--prog)}.badge.p-scheduled{color:var(--soon)}.badge.p-not-started{color:var(--muted)}
.badge.p-blocked{color:var(--bad)}.badge.p-not-found{color:var(--lost)}
.notes,.subs{margin:4px 0 0;padding:0;list-style:none}
.subs li+li{margin-top:6px}
.note-warning{color:var(--soon)}.note-error{color:var(--bad)}
.sku{font-weight:600}
.retire-notes{margin:8px 0 0;padding:0;list-style:none;font-size:.85rem;color:var(--muted)}
.outcome-ok{color:var(--done)}.outcome-failed{color:var(--bad)}
.actions summary{cursor:pointer}
.actions ol{margin:4px 0 0;padding-left:1.2em}
.mark{font-family:ui-monospace,monospace;font-weight:700}
.m-purchase{color:var(--done)}.m-resize,.m-reassign{color:var(--soon)}.m-suspend,.m-cancel,.m-no-renew{color:var(--bad)}.m-transition{color:var(--prog)}
footer{margin:36px auto 28px;padding-top:12px;border-top:1px solid var(--line);color:var(--muted);font-size:.85rem}
footer dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}
footer dd{margin:0}
.hash{overflow-wrap:anywhere}
th .id{display:block;font-size:.72rem;line-height:1.3}
.sub-id{font-size:.78rem;color:var(--muted)}
.sub-id summary{cursor:pointer;width:max-content}
.why{color:var(--muted)}
.seats{display:flex;flex-wrap:wrap;gap:2px 16px;margin:8px 0 0;padding:0;list-style:none;font-size:.88rem}
.attention{border-color:var(--bad)}
.attention h3{color:var(--bad)}
.attention-list{margin:0;padding-left:1.2em}
@media (max-width:900px){
header,main,footer{padding:0 12px}header{padding-top:16px}
.card{padding:12px}
.timeline-chart .minor{display:none}.timeline-chart .narrow{display:inline}
table,thead,tbody,tr,th,td,caption{display:block}
thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
tbody tr{border:1px solid var(--line);border-radius:8px;margin:10px 0;padding:4px 0}
tbody th,tbody td,tbody .num{display:flow-root;border:0;padding:3px 12px 3px 7.6rem;text-align:left;min-width:0}
tbody th::before,tbody td::before{content:attr(data-label);float:left;width:7.6rem;margin-left:-7.6rem;padding:2px 8px 0 0;color:var(--muted);font-size:.75rem;text-transform:uppercase;letter-spacing:.02em;text-align:left}
}
@media print{
body{font-size:11pt}
.filters,.deadline-list summary{display:none}
.card,tbody tr{break-inside:avoid}
a{color:inherit}
}
`;
