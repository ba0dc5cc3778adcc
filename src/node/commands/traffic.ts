import type { Page, TrafficItem, TrafficQuery } from '../../service/api.js';
import { BACKEND_HELP, command, num, print, printJson, str, table } from './cli-kit.js';
import { visibleName } from '../../formats/agent-name.js';

const FILTER_OPTIONS = {
  agent: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  quality: { type: 'string' },
  builtin: { type: 'string' },
  signal: { type: 'string' },
  value: { type: 'string' },
  unlabelled: { type: 'string' },
  q: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
} as const;

const FILTER_HELP = `  --agent A        only this agent's
  --since T        ending at or after T (ISO 8601, or a duration ago: 24h, 7d)
  --until T        ending before T
  --quality Q      built-in quality bucket: excellent, good, neutral, poor, severe
  --builtin GLOB   with a built-in signal of this type (glob: execution.failure.*, *.quit)
  --signal NAME    with a label of this custom signal (any value, or --value V)
  --value V        with this label value of --signal
  --unlabelled S   without a label of custom signal S
  --q TEXT         with this text in their messages
  --limit N        per page, 1 to 200 (default 50)
  --cursor C       the next page (printed under the table; nextCursor in --json)
  --json           the page as JSON ({items, nextCursor})`;

/** The query from the filter options. */
function queryOf(values: Record<string, unknown>): TrafficQuery {
  const v = values as Parameters<typeof str>[0];
  return {
    agent: str(v, 'agent'),
    since: str(v, 'since'),
    until: str(v, 'until'),
    quality: str(v, 'quality'),
    builtin: str(v, 'builtin'),
    signal: str(v, 'signal'),
    value: str(v, 'value'),
    unlabelled: str(v, 'unlabelled'),
    q: str(v, 'q'),
    limit: num(v, 'limit'),
    cursor: str(v, 'cursor'),
  };
}

/** A time for a table cell: minutes are enough to tell units apart and to find them again. */
function shortTime(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

function printPage(kind: 'session' | 'trace', page: Page<TrafficItem>): void {
  if (page.items.length === 0) print(`no ${kind}s${page.nextCursor === null ? '' : ' in this stretch'}`);
  else {
    const rows = page.items.map((i) => [
      i.id,
      visibleName(i.agent),
      shortTime(i.end),
      kind === 'session' ? String(i.traces) : (i.sessionId ?? '-'),
      i.turns === null ? '-' : String(i.turns),
      `${i.llmCalls}/${i.toolCalls}`,
      i.quality ?? (i.settled ? '-' : 'pending'),
      i.builtin.map((f) => f.split('.')[1]).join(' ') || '-',
      i.labels.map((l) => `${l.signal}=${l.value ?? l.status}`).join(' ') || '-',
    ]);
    process.stdout.write(table(['ID', 'AGENT', 'ENDED', kind === 'session' ? 'TRACES' : 'SESSION', 'TURNS', 'LLM/TOOL', 'QUALITY', 'BUILT-IN', 'LABELS'], rows));
  }
  if (page.nextCursor !== null) print(`more: --cursor ${page.nextCursor}`);
}

function listing(kind: 'session' | 'trace') {
  const plural = `${kind}s`;
  return command({
    name: plural,
    help: `Usage: signals ${plural} [filters] [--json]

Lists ${plural}, newest first (by their last span), with their counts (turns, LLM and tool calls), built-in
quality and signal families, and custom labels. Quality and built-in signals appear once a ${kind} has settled
(${kind === 'session' ? 'idle for the session idle time' : 'its root span ended and it went quiet'}); until then it shows as pending.

Options
${FILTER_HELP}
${BACKEND_HELP}

Examples
  signals ${plural} --agent support-bot --since 24h
  signals ${plural} --builtin 'interaction.disengagement.*' --quality severe
  signals ${plural} --signal frustration --value yes --json`,
    args: [0, 0],
    options: FILTER_OPTIONS,
    async run({ values, backend }) {
      const api = (await backend('read')).api;
      const query = queryOf(values);
      const page = kind === 'session' ? await api.sessions(query) : await api.traces(query);
      if (values.json) printJson(page);
      else printPage(kind, page);
      return 0;
    },
  });
}

/** `signals sessions [filters]`. */
export const runSessions = listing('session');
/** `signals traces [filters]`. */
export const runTraces = listing('trace');
