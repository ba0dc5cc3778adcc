import type { TargetKind } from '../../custom/types.js';
import type { DistributionBucket } from '../../service/api.js';
import { UsageError } from '../usage-error.js';
import { BACKEND_HELP, command, counts, num, print, printJson, str, table } from './cli-kit.js';
import { visibleName } from '../../formats/agent-name.js';

const KINDS = ['span', 'trace', 'session'];

/** `signals target KIND ID`. */
export const runTarget = command({
  name: 'target',
  help: `Usage: signals target KIND ID [--agent AGENT] [--limit N] [--before I] [--json]

Shows one target (KIND span, trace or session): its conversation, the built-in signals of its report and
every custom label with its explanation. Targets are identified within their agent: when several agents
sent the same id, name the agent.

Options
  --agent AGENT  the agent whose target this is (needed when several agents have this id)
  --limit N      messages shown, the last ones (1 to 1000, default 200)
  --before I     the messages before index I (the earlier page: the index printed above the first one)
  --json         the target as JSON (TargetView: messages, messageCount, messageOffset, report, labels)
${BACKEND_HELP}

Examples
  signals target session demo-session-04
  signals target trace 4bf92f3577b34da6a3ce929d0e0e4736 --json
  signals target session 1 --agent support-bot
  signals target session demo-session-04 --limit 20 --before 40`,
  args: [2, 2],
  options: { agent: { type: 'string' }, limit: { type: 'string' }, before: { type: 'string' } },
  async run({ values, positionals, backend }) {
    const [kind, id] = positionals;
    if (!KINDS.includes(kind)) throw new UsageError(`KIND is span, trace or session, got "${kind}"`);
    const page = { limit: num(values, 'limit'), before: num(values, 'before') };
    const t = await (await backend('read')).api.target(kind as TargetKind, id, str(values, 'agent'), page);
    if (values.json) {
      printJson(t);
      return 0;
    }
    const shown = t.messages.length === t.messageCount ? `${t.messageCount} messages` : `messages ${t.messageOffset}-${t.messageOffset + t.messages.length - 1} of ${t.messageCount}`;
    const lines = [`${t.kind} ${t.id} (agent ${visibleName(t.agent)}), ${shown}`, ''];
    if (t.messageOffset > 0) lines.push(`(${t.messageOffset} earlier: --before ${t.messageOffset})`);
    t.messages.forEach((m, i) => lines.push(`${String(t.messageOffset + i).padStart(4)} ${m.from.padEnd(12)} ${m.value.replace(/\s+/g, ' ').slice(0, 200)}`));
    lines.push('', `report: ${t.report.overall_quality} (score ${t.report.quality_score}): ${t.report.summary}`, '', 'labels:');
    if (t.labels.length === 0) lines.push('  none');
    for (const l of t.labels) lines.push(`  ${l.signalId} v${l.version}  ${l.value ?? l.status}  ${l.judge}  ${l.explanation}`);
    print(lines.join('\n'));
    return 0;
  },
});

/** `signals labels NAME`. */
export const runLabels = command({
  name: 'labels',
  help: `Usage: signals labels NAME [--value V] [--since T] [--until T] [--limit N] [--cursor C] [--json]

Lists the labels of a signal, newest first (by traffic time), one page at a time.

Options
  --value V      only this label value (yes, no, or one of the signal's labels)
  --since T      from this time (ISO 8601, or a duration ago: 24h, 7d)
  --until T      up to this time
  --limit N      labels per page, 1 to 500 (default 50)
  --cursor C     the next page (printed under the table; nextCursor in --json)
  --json         the page as JSON ({items, nextCursor})
${BACKEND_HELP}

Examples
  signals labels frustration --value yes
  signals labels task-outcome --since 24h --limit 200 --json`,
  args: [1, 1],
  options: { value: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } },
  async run({ values, positionals, backend }) {
    const page = await (await backend('read')).api.labels(positionals[0], {
      value: str(values, 'value'),
      since: str(values, 'since'),
      until: str(values, 'until'),
      limit: num(values, 'limit'),
      cursor: str(values, 'cursor'),
    });
    if (values.json) {
      printJson(page);
      return 0;
    }
    if (page.items.length === 0) print('no labels');
    const rows = page.items.map((l) => [l.at, `${l.targetKind} ${l.targetId}`, l.value ?? l.status, `v${l.version}`, l.judge, l.explanation]);
    process.stdout.write(table(['AT', 'TARGET', 'VALUE', 'VERSION', 'JUDGE', 'EXPLANATION'], rows));
    if (page.nextCursor !== null) print(`more: --cursor ${page.nextCursor}`);
    return 0;
  },
});

/** Totals per value over buckets, largest first. */
export function totals(buckets: DistributionBucket[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of buckets) for (const [k, n] of Object.entries(b.counts)) out[k] = (out[k] ?? 0) + n;
  return out;
}

/** `signals distribution NAME`. */
export const runDistribution = command({
  name: 'distribution',
  help: `Usage: signals distribution NAME [--bucket 1h] [--since T] [--until T] [--json]

Counts the labels of a signal per value in time buckets (default: hourly over the last 24 hours), then the
totals.

Options
  --bucket D     bucket size (5m, 1h, 1d; default 1h)
  --since T      from this time (ISO 8601, or a duration ago: 24h, 7d)
  --until T      up to this time (default now)
  --json         the buckets as JSON ([{start, counts}])
${BACKEND_HELP}

Examples
  signals distribution frustration
  signals distribution task-outcome --bucket 4h --since 2d --json`,
  args: [1, 1],
  options: { bucket: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' } },
  async run({ values, positionals, backend }) {
    const buckets = await (await backend('read')).api.distribution(positionals[0], {
      bucket: str(values, 'bucket'),
      since: str(values, 'since'),
      until: str(values, 'until'),
    });
    if (values.json) {
      printJson(buckets);
      return 0;
    }
    const rows = buckets.filter((b) => Object.keys(b.counts).length > 0).map((b) => [b.start, counts(b.counts)]);
    if (rows.length > 0) process.stdout.write(table(['BUCKET', 'LABELS'], rows));
    print(`total: ${counts(totals(buckets))}`);
    return 0;
  },
});
