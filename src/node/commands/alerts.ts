import { parse as parseYaml } from 'yaml';
import { readFile } from 'node:fs/promises';
import type { AlertHistoryEntry, AlertSummary, SignalsApi } from '../../service/api.js';
import { ServiceError } from '../../service/api.js';
import type { BacktestView } from '../../service/alerts-backtest.js';
import { UsageError } from '../usage-error.js';
import { BACKEND_HELP, command, group, num, print, printJson, str, table } from './cli-kit.js';

/** An alert by id, else by name (the first alert of that name). */
export async function resolveAlert(api: SignalsApi, ref: string): Promise<AlertSummary> {
  const all = await api.listAlerts();
  const found = all.find((a) => a.id === ref) ?? all.find((a) => a.name === ref);
  if (found === undefined) throw new ServiceError('not_found', `No alert "${ref}" (signals alerts list shows them)`);
  return found;
}

const list = command({
  name: 'alerts list',
  help: `Usage: signals alerts list [--signal NAME] [--json]

Lists alerts with their signal, state (ok, pending, firing, paused) and rule.

Options
  --signal NAME  only the alerts of this signal
  --json         as JSON (AlertSummary[])
${BACKEND_HELP}

Examples
  signals alerts list
  signals alerts list --signal frustration --json`,
  options: { signal: { type: 'string' } },
  async run({ values, backend }) {
    const alerts = await (await backend('alerts')).api.listAlerts(str(values, 'signal'));
    if (values.json) printJson(alerts);
    else if (alerts.length === 0) print('no alerts');
    else {
      const rows = alerts.map((a) => {
        const r = a.rule as Record<string, unknown>;
        return [a.id, a.name, typeof r.signal === 'string' ? r.signal : a.signalId, a.state, `${String(r.metric)}${r.value ? `=${String(r.value)}` : ''} ${String(r.comparison)} ${String(r.threshold)} over ${String(r.window)}`];
      });
      process.stdout.write(table(['ID', 'NAME', 'SIGNAL', 'STATE', 'RULE'], rows));
    }
    return 0;
  },
});

const create = command({
  name: 'alerts create',
  help: `Usage: signals alerts create --signal NAME --name ALERT --metric M --comparison C --threshold N --window D [options]
       signals alerts create --file RULE.yaml

Creates an alert on a signal's labels (the config file's alerts: entry, as flags or a file).

Options
  --signal NAME        the signal watched
  --name ALERT         the alert's name
  --metric M           volume, true_rate, value_count or value_share
  --value V            the label value for value_count / value_share
  --comparison C       above, below or change (percent against the prior window)
  --threshold N        the threshold (a percent for change)
  --window D           5m to 48h
  --every D            evaluation interval (default 1m)
  --min-labels N       fewer labels in the window is no data
  --for D              how long the condition must hold before firing (default 0s)
  --cooldown D         between repeat notifications (default 1h)
  --no-data P          ok, keep_state or alert (default ok)
  -f, --file FILE      the rule as YAML/JSON instead of flags
  --json               the new alert as JSON
${BACKEND_HELP}

Examples
  signals alerts create --signal frustration --name frustration-high --metric true_rate \\
    --comparison above --threshold 0.3 --window 1h --min-labels 10 --for 10m
  signals alerts create --file alerts/outcome.yaml`,
  options: {
    signal: { type: 'string' },
    name: { type: 'string' },
    metric: { type: 'string' },
    value: { type: 'string' },
    comparison: { type: 'string' },
    threshold: { type: 'string' },
    window: { type: 'string' },
    every: { type: 'string' },
    'min-labels': { type: 'string' },
    for: { type: 'string' },
    cooldown: { type: 'string' },
    'no-data': { type: 'string' },
    file: { type: 'string', short: 'f' },
  },
  async run({ values, backend }) {
    let rule: Record<string, unknown> = {};
    const file = str(values, 'file');
    if (file !== undefined) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const data = parseYaml(text) as unknown;
      if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UsageError(`${file}: an alert rule is a YAML/JSON object`);
      rule = data as Record<string, unknown>;
    }
    for (const key of ['signal', 'name', 'metric', 'value', 'comparison', 'window', 'every', 'for', 'cooldown']) {
      const v = str(values, key);
      if (v !== undefined) rule[key] = v;
    }
    const noData = str(values, 'no-data');
    if (noData !== undefined) rule.no_data = noData;
    const threshold = num(values, 'threshold');
    if (threshold !== undefined) rule.threshold = threshold;
    const minLabels = num(values, 'min-labels');
    if (minLabels !== undefined) rule.min_labels = minLabels;
    if (rule.signal === undefined || rule.name === undefined) throw new UsageError('--signal and --name are required');
    const alert = await (await backend('alerts')).api.createAlert(rule);
    if (values.json) printJson(alert);
    else print(`created alert ${alert.name} (${alert.id}) on ${String(rule.signal)}: ${alert.state}`);
    return 0;
  },
});

function pauseCommand(name: 'pause' | 'resume'): (argv: string[]) => Promise<number> {
  return command({
    name: `alerts ${name}`,
    help: `Usage: signals alerts ${name} ALERT [--json]

${name === 'pause' ? 'Pauses an alert: no evaluation, no notification, until resumed.' : 'Resumes a paused alert.'} ALERT is its id or name.

Options
  --json         the alert as JSON
${BACKEND_HELP}

Examples
  signals alerts ${name} frustration-high`,
    args: [1, 1],
    async run({ values, positionals, backend }) {
      const { api } = await backend('alerts');
      const alert = await api.setAlertPaused((await resolveAlert(api, positionals[0])).id, name === 'pause');
      if (values.json) printJson(alert);
      else print(`alert ${alert.name} is ${alert.state}`);
      return 0;
    },
  });
}

const backtest = command({
  name: 'alerts backtest',
  help: `Usage: signals alerts backtest ALERT --since T [--until T] [--limit N] [--cursor C] [--json]

Replays the alert's state machine over the stored labels of the window, at its evaluation interval, and
prints its transitions and how many notifications it would have sent. The counts are exact; transitions are
listed a part at a time (1,000 unless --limit), and when more follow, the last line gives the command that
lists the next part (the same window, as times, and --cursor). Nothing is sent or stored.

Options
  --since T      window start (ISO 8601, or a duration ago: 24h, 7d)
  --until T      window end (default now)
  --limit N      transitions (and notifications) listed, 1 to 1000 (default 1000)
  --cursor C     list the part after this one (nextCursor of the previous answer; give its --since and --until)
  --json         the result as JSON (this part's transitions and notifications, exact totals, nextCursor,
                 the series with at most 1,000 points)
${BACKEND_HELP}

Examples
  signals alerts backtest frustration-high --since 7d
  signals alerts backtest alt_0123 --since 2026-11-01T00:00:00Z --until 2026-11-08T00:00:00Z --json`,
  args: [1, 1],
  options: { since: { type: 'string' }, until: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } },
  async run({ values, positionals, backend }) {
    const since = str(values, 'since');
    if (since === undefined) throw new UsageError('--since is required');
    const { api } = await backend('alerts');
    const alert = await resolveAlert(api, positionals[0]);
    const window = { since, until: str(values, 'until') ?? new Date().toISOString(), limit: num(values, 'limit'), cursor: str(values, 'cursor') };
    const result = (await api.backtestAlert(alert.id, window)) as BacktestView;
    if (values.json) {
      printJson(result);
      return 0;
    }
    const { transitions, transitionsTotal } = result;
    print(`${alert.name}: ${result.evaluations} evaluations, ${transitionsTotal} transitions, ${result.notificationsTotal} notifications`);
    if (transitions.length > 0) {
      process.stdout.write(table(['AT', 'FROM', 'TO', 'VALUE', 'REASON'], transitions.map((t) => [t.at, t.from, t.to, t.value === null ? 'no data' : String(t.value), t.reason])));
    }
    if (result.nextCursor !== null) {
      const part = window.cursor === undefined ? `the first ${transitions.length}` : `${transitions.length} after ${window.cursor}`;
      print(`(${part} of ${transitionsTotal} transitions; the next: signals alerts backtest ${alert.name} --since ${result.since} --until ${result.until} --cursor ${result.nextCursor})`);
    }
    return 0;
  },
});

const history = command({
  name: 'alerts history',
  help: `Usage: signals alerts history ALERT [--json]

Lists the recorded state transitions and notification deliveries of an alert, newest first. A delivery
is pending (with its next try), sent, or failed (out of attempts, or refused for good), with the last
attempt's reason.

Options
  --json         as JSON
${BACKEND_HELP}

Examples
  signals alerts history frustration-high`,
  args: [1, 1],
  async run({ values, positionals, backend }) {
    const { api } = await backend('alerts');
    const rows = await api.alertHistory((await resolveAlert(api, positionals[0])).id);
    if (values.json) printJson(rows);
    else if (rows.length === 0) print('no transitions yet');
    else {
      const cells = rows.map((e) =>
        e.type === 'transition'
          ? [e.at, 'state', `${e.from} → ${e.to}`, e.value === null ? 'no data' : String(e.value), e.reason]
          : [e.at, 'delivery', `${e.channel} ${e.status}`, `${e.attempts} attempt${e.attempts === 1 ? '' : 's'}`, deliveryDetail(e)],
      );
      process.stdout.write(table(['AT', 'TYPE', 'CHANGE', 'VALUE', 'DETAIL'], cells));
    }
    return 0;
  },
});

/** A delivery's last reason (or HTTP status) and, while pending, when it is tried next. */
function deliveryDetail(e: Extract<AlertHistoryEntry, { type: 'delivery' }>): string {
  const reason = e.error ?? (e.httpStatus === null ? '' : `HTTP ${e.httpStatus}`);
  const next = e.status === 'pending' && e.nextAttemptAt !== null ? `next try ${e.nextAttemptAt}` : '';
  return [reason, next].filter((x) => x !== '').join('; ');
}

/** `signals alerts list|create|pause|resume|backtest|history`. */
export const runAlerts = group(
  'alerts',
  `Usage: signals alerts <list|create|pause|resume|backtest|history> [options]

Alerts on the labels of a signal (volume, true_rate, value_count, value_share; above, below or change),
with a backtest over stored labels before turning one on.

Commands
  list                 the alerts and their state
  create               a new alert (flags or --file)
  pause ALERT          stop evaluating it
  resume ALERT         evaluate it again
  backtest ALERT       replay it over a past window
  history ALERT        its recorded transitions

Examples
  signals alerts create --signal frustration --name frustration-high --metric true_rate \\
    --comparison above --threshold 0.3 --window 1h
  signals alerts backtest frustration-high --since 7d
`,
  { list, create, pause: pauseCommand('pause'), resume: pauseCommand('resume'), backtest, history },
);
