/** The stylesheet of the signal and alert forms (appended to the dashboard's, served at /dashboard/app.css). */
export const FORM_CSS = String.raw`
[hidden] { display: none !important; }
#sf-template { max-width: 100%; width: 420px; }
#af-name { max-width: 420px; }
h1 > button { font-size: 14px; padding: 4px 12px; }
.ch-dest { flex: 1 1 220px; min-width: 0; }
.channel-row .inline { flex-wrap: wrap; }
fieldset.group, details.group { border: 0; border-top: 1px solid var(--line); margin: 0; padding: 12px 0 10px; min-width: 0; }
fieldset.group:first-child { border-top: 0; padding-top: 0; }
fieldset.group legend, details.group summary { font-weight: 600; font-size: 14px; padding: 0; color: var(--ink); }
details.group summary { cursor: pointer; }
fieldset.group > .hint, details.group > .hint { margin: 2px 0 6px; }
.grow { flex: 1 1 180px; min-width: 0; }
.grow.wide { flex-basis: 280px; }
.grow .field input, .grow .field select { width: 100%; }
textarea.prose { font: inherit; min-height: 7em; resize: vertical; }
.choices { display: flex; flex-direction: column; gap: 4px; }
.choice { display: flex; gap: 8px; align-items: baseline; font-size: 14px; cursor: pointer; }
.choice input { margin: 0; }
.choice input:disabled + span { opacity: .7; }
.label-rows { display: flex; flex-direction: column; gap: 6px; margin-top: 6px; }
.label-row { display: grid; grid-template-columns: minmax(110px, 180px) 1fr auto; gap: 6px; align-items: start; }
.label-row .field-error { grid-column: 1 / -1; }
.field-error { color: var(--bad); font-size: 13px; font-weight: 600; margin: 3px 0 0; }
[aria-invalid="true"] { border-color: var(--bad); outline: 1px solid var(--bad); }
#form-errors { margin: 8px 0; }
#form-errors p { margin: 2px 0; }
.form-actions { border-top: 1px solid var(--line); padding-top: 12px; align-items: center; }
.inline { display: inline-flex; align-items: center; gap: 4px; }
.channel-row { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 6px 0; }
.changes { margin: 0; padding-left: 18px; font-size: 13px; }
.changes li { margin: 2px 0; }
del.diff { background: #fdecec; color: var(--bad); text-decoration: line-through; }
ins.diff { background: #e7f5ec; color: #145c34; text-decoration: none; }
.prompt-diff { white-space: pre-wrap; word-break: break-word; background: #f6f7f9; border-radius: 4px; padding: 4px 6px; margin-top: 3px; }
a.button { display: inline-block; padding: 6px 14px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; text-decoration: none; font-size: 15px; }
a.button.secondary { background: #fff; color: var(--accent); }
h1 a.button, .actions a.button { font-size: 14px; padding: 4px 12px; font-weight: 400; }
.history .event { font-weight: 600; }
@media (max-width: 600px) {
  .label-row { grid-template-columns: 1fr auto; }
  .label-row .label-desc { grid-column: 1 / -1; grid-row: 2; }
  .form-actions button { flex: 1 1 auto; }
  .channel-row .row > .field { flex: 1 1 100%; }
  .channel-row .ch-dest, .channel-row .ch-to, .channel-row .ch-name, .channel-row .ch-secret, .channel-row .ch-type { width: 100%; }
}
`;
