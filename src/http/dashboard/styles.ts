/** The dashboard's stylesheet (served at /dashboard/app.css): one column on a phone, focus rings everywhere. */
export const DASHBOARD_CSS = String.raw`
:root { --bg: #f6f7f9; --card: #fff; --ink: #1d2330; --muted: #5f6878; --line: #dde1e8; --accent: #3056d3;
        --ok: #1f8a4c; --warn: #b35c00; --bad: #c62828; --focus: #ffbf47; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--ink); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 3px; }
.skip { position: absolute; left: -9999px; top: 0; background: #fff; padding: 6px 10px; z-index: 10; }
.skip:focus { left: 8px; }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 20px; padding: 10px 20px; background: var(--ink); color: #fff; }
header.top a { color: #fff; text-decoration: none; }
.brand { font-weight: 700; font-size: 17px; }
nav { display: flex; gap: 4px; flex-wrap: wrap; }
nav a { padding: 6px 10px; border-radius: 6px; }
nav a[aria-current="page"] { background: #3a4356; }
nav a:hover { background: #2c3446; }
.token { margin-left: auto; display: flex; gap: 6px; align-items: center; font-size: 13px; }
.token label { color: #c5cbd8; }
.token input { width: 170px; }
.caller { font-size: 12px; color: #fff; background: #5b3f8c; padding: 3px 9px; border-radius: 10px; white-space: nowrap; }
main { max-width: 1240px; margin: 0 auto; padding: 16px 20px 40px; }
main:focus { outline: none; }
h1 { font-size: 22px; margin: 4px 0 12px; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; overflow-wrap: anywhere; min-width: 0; }
h2 { font-size: 14px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 10px; }
section.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin-bottom: 16px; min-width: 0; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.grid2 > section.card { margin-bottom: 0; }
.stack { display: flex; flex-direction: column; gap: 16px; margin-bottom: 16px; }
@media (max-width: 900px) { .grid2 { grid-template-columns: 1fr; } }
.row { display: flex; gap: 8px 10px; align-items: end; flex-wrap: wrap; margin: 8px 0; }
.field { display: flex; flex-direction: column; gap: 3px; font-size: 13px; color: var(--muted); }
input, select, textarea { font: inherit; color: var(--ink); padding: 6px 8px; border: 1px solid #b9c0cc; border-radius: 6px; background: #fff; }
textarea { width: 100%; min-height: 260px; font: 12.5px/1.4 ui-monospace, Menlo, Consolas, monospace; }
button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid var(--accent); cursor: pointer; background: var(--accent); color: #fff; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: #fff; color: var(--bad); border-color: var(--bad); }
button:disabled { opacity: .55; cursor: default; }
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: 13.5px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.expl { color: var(--muted); max-width: 520px; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.badge.active, .badge.ok, .badge.done { color: var(--ok); }
.badge.draft, .badge.queued, .badge.running, .badge.pending { color: var(--warn); }
.badge.disabled, .badge.archived, .badge.paused, .badge.cancelled { color: var(--muted); }
.badge.firing, .badge.failed { color: #fff; background: var(--bad); border-color: var(--bad); }
.badge.q-excellent, .badge.q-good { color: var(--ok); } .badge.q-neutral { color: var(--muted); } .badge.q-poor { color: var(--warn); }
.badge.q-severe { color: #fff; background: var(--bad); border-color: var(--bad); }
h1 .actions button { font-size: 14px; padding: 4px 12px; }
.chip { display: inline-block; padding: 1px 8px; border-radius: 4px; font-size: 12.5px; font-weight: 600; white-space: nowrap; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 10px; font-size: 12px; color: var(--muted); margin-top: 3px; }
.legend i { display: inline-block; width: 9px; height: 9px; border-radius: 2px; margin-right: 3px; vertical-align: baseline; }
.dist { display: flex; height: 12px; min-width: 120px; border-radius: 3px; overflow: hidden; background: #eceff3; }
.dist span { display: block; height: 100%; }
.chart svg, .chart img { max-width: 100%; height: auto; display: block; }
.chart { min-width: 0; }
.muted, .hint { color: var(--muted); font-size: 13px; }
.actions { display: flex; gap: 6px; flex-wrap: wrap; }
progress { width: 100%; height: 14px; }
.error { color: var(--bad); font-weight: 600; }
#notice:not(:empty) { max-width: 1240px; margin: 10px auto 0; padding: 8px 14px; border-radius: 6px; background: #e7f5ec; color: #145c34; }
#notice.error:not(:empty) { background: #fdecec; color: var(--bad); }
.msgs { display: flex; flex-direction: column; gap: 6px; }
.msg { border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 6px; padding: 6px 10px; font-size: 13.5px; background: #fff; }
.msg.flagged { border-left-color: var(--bad); background: #fff5f5; }
.msg:target { outline: 2px solid var(--accent); }
.msg .who { font-size: 11.5px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.msg .text { white-space: pre-wrap; word-break: break-word; max-height: 14em; overflow: auto; }
.tag { display: inline-block; background: #fde8e8; color: var(--bad); border-radius: 4px; padding: 0 6px; margin: 3px 4px 0 0; font-size: 11.5px; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; font-size: 13.5px; margin: 0; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; word-break: break-word; }
.labels-list { display: flex; flex-direction: column; gap: 10px; }
.label-item { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.label-item p { margin: 4px 0 0; font-size: 13.5px; }
.tag.good { background: #e3f4ea; color: var(--ok); }
.msg.praised { border-left-color: var(--ok); }
.tags { display: flex; flex-wrap: wrap; gap: 3px 4px; align-items: center; }
.tags .tag { margin: 0; }
.lchip { display: inline-flex; align-items: center; gap: 4px; font-size: 12px; white-space: nowrap; border: 1px solid var(--line); border-radius: 5px; padding: 0 0 0 5px; background: #fff; }
.lchip .lname { color: var(--muted); }
.lchip .chip { border-radius: 0 4px 4px 0; }
.titlebar { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 6px 16px; }
.live { display: flex; align-items: center; gap: 8px; font-size: 13px; color: var(--muted); }
.live .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--ok); display: inline-block; }
.live.paused .dot { background: var(--muted); }
button.small { font-size: 13px; padding: 3px 10px; }
.pending { font-size: 13px; background: #fff8e6; border: 1px solid #f3dfae; border-radius: 6px; padding: 6px 12px; margin-bottom: 14px; color: #5a4500; }
.pending[data-empty="1"] { background: #f1f3f6; border-color: var(--line); color: var(--muted); }
.filters .field input, .filters .field select { max-width: 100%; }
table.traffic td.id { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12.5px; word-break: break-all; min-width: 9em; }
table.traffic td.when { white-space: nowrap; }
.crumbs { font-size: 13px; margin: 0 0 4px; word-break: break-all; }
.timeline { display: flex; flex-direction: column; }
.trace-head { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; padding: 8px 0 4px; border-top: 1px solid var(--line); font-weight: 600; font-size: 13.5px; word-break: break-all; }
.trace-head:first-child { border-top: 0; padding-top: 0; }
.span-row { display: grid; grid-template-columns: minmax(0, 1fr) minmax(120px, 38%); gap: 10px; align-items: center; padding: 3px 4px; border-radius: 4px; font-size: 13px; }
.span-row.current { background: #eef2ff; outline: 1px solid var(--accent); }
.span-text { min-width: 0; overflow-wrap: anywhere; }
.span-text .indent { display: inline-block; }
.span-text .tags { display: inline-flex; margin-left: 6px; }
.span-bar { position: relative; height: 10px; background: #f1f3f6; border-radius: 3px; }
.span-bar i { position: absolute; top: 0; bottom: 0; border-radius: 3px; background: #8a93a6; min-width: 2px; }
.kind-llm .span-bar i { background: var(--accent); }
.kind-tool .span-bar i { background: #59a14f; }
.kind { display: inline-block; font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
.kind.llm { color: var(--accent); } .kind.tool { color: #3d7a36; }
kbd { font: 12px ui-monospace, monospace; border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px; padding: 0 5px; background: #fff; color: var(--ink); }
button[aria-pressed="true"] { outline: 2px solid var(--accent); }
.headline { font-size: 16px; font-weight: 600; margin: 0 0 8px; }
table.confusion td.diag { font-weight: 700; }
.grid2 > div { min-width: 0; }
.table-wrap + ul.plain { margin-top: 10px; }
ul.plain { list-style: none; padding: 0; margin: 0; display: flex; flex-direction: column; gap: 6px; }
@media (max-width: 600px) {
  header.top { padding: 8px 12px; }
  .token { margin-left: 0; width: 100%; }
  .token input { flex: 1; width: auto; }
  main { padding: 12px 10px 30px; }
  section.card { padding: 12px; }
  .hide-sm { display: none; }
  /* Wide tables become one block per row: the first cells on a line, the explanation under them. */
  table.stackable thead { display: none; }
  table.stackable tr { display: flex; flex-wrap: wrap; align-items: baseline; gap: 3px 10px; padding: 7px 0; border-bottom: 1px solid var(--line); }
  table.stackable td { border: 0; padding: 0; }
  table.stackable td.expl, table.stackable td:has(.dist), table.stackable td:has(.actions) { flex-basis: 100%; }
  h1 { font-size: 19px; }
  td.expl { max-width: none; }
  th, td { padding: 5px 5px; }
  .span-row { grid-template-columns: 1fr; gap: 2px; }
  table.traffic td.id { min-width: 0; font-weight: 600; }
  table.traffic td.wide { flex-basis: 100%; }
  table.stackable td[data-label]::after { content: " " attr(data-label); color: var(--muted); }
  .live { width: 100%; }
  .filters .field { flex: 1 1 40%; min-width: 0; }
  .filters .field input { width: 100%; }
}
`;
