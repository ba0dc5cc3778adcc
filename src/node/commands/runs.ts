import type { Page, RunSummary, SignalsApi } from '../../service/api.js';
import type { SignalsService } from '../../service/service.js';
import { UsageError } from '../usage-error.js';
import { BACKEND_HELP, command, counts, num, print, printJson, str, table, terminalWidth } from './cli-kit.js';

/** Runs `signals runs` lists unless asked (the service's default page). */
const DEFAULT_LISTED = 50;

/** Where waiting stops: finished, or paused (a spending cap: a day cap's run goes on by itself the next UTC day). */
const FINISHED = new Set(['done', 'failed', 'cancelled', 'paused']);

/** `[######------] 120/300 yes 40, no 80` sized to the terminal. */
export function progressLine(run: RunSummary, width = terminalWidth()): string {
  const tail = ` ${run.done}/${run.total} ${counts(run.counts)}`;
  const bar = Math.max(10, Math.min(40, width - tail.length - 3));
  const filled = run.total === 0 ? bar : Math.round((bar * Math.min(run.done, run.total)) / run.total);
  return `[${'#'.repeat(filled)}${'-'.repeat(bar - filled)}]${tail}`.slice(0, width - 1);
}

/**
 * Waits for a run to finish: in process (local store) by running its batches here, against a service by
 * polling it. Progress goes to stderr, redrawn in place on a terminal.
 */
export async function waitForRun(api: SignalsApi, service: SignalsService | undefined, run: RunSummary, pollMs = 300): Promise<RunSummary> {
  const tty = process.stderr.isTTY === true;
  const show = (r: RunSummary) => {
    if (tty) process.stderr.write(`\r${progressLine(r)}`);
  };
  let current = run;
  show(current);
  while (!FINISHED.has(current.status)) {
    if (service !== undefined) await service.runBatch(current.id);
    else await new Promise((r) => setTimeout(r, pollMs));
    current = await api.getRun(current.id);
    show(current);
  }
  if (tty) process.stderr.write('\n');
  return current;
}

/** One run as the CLI states it; a run a day cap paused says when it goes on. */
export function runLine(r: RunSummary): string {
  return `run ${r.id} ${r.status}: ${r.done}/${r.total} targets, ${counts(r.counts)}${r.unreadable > 0 ? `, ${r.unreadable} unreadable (no readable message, not labelled)` : ''}${r.cost.requests > 0 ? `, ${r.cost.requests} LLM requests $${r.cost.usd.toFixed(4)}` : ''}${r.error ? `, ${r.status === 'paused' ? 'paused by' : 'error'}: ${r.error}` : ''}${r.resumesAt ? `; resumes by itself at ${r.resumesAt}` : ''}`;
}

/** A run's status cell: `paused` says until when, for a run a day cap paused. */
function statusCell(r: RunSummary): string {
  return r.resumesAt ? `paused until ${r.resumesAt}` : r.status;
}

/** `signals run NAME`. */
export const runRun = command({
  name: 'run',
  help: `Usage: signals run NAME --since T [--until T] [--rate R] [--wait] [--json]

Starts a backfill: labels the stored traffic of the window with the signal's current version. Targets already
labelled by that version are skipped, so re-running a window is cheap. The run is resumable: against the local
store it runs here with --wait (else in the background of signals serve); against --url the service runs it.

Options
  --signal NAME  the signal (instead of the NAME argument)
  --since T      window start (ISO 8601, or a duration ago: 24h, 7d)
  --until T      window end (default now)
  --rate R       share of the window's targets, above 0 and at most 1 (default the signal's sample_rate)
  --wait         wait until the run finishes or a spending cap pauses it, with a progress bar; exit 1 when
                 it fails (a run a day cap paused goes on by itself the next UTC day)
  --json         the run as JSON (RunSummary)
${BACKEND_HELP}

Examples
  signals run frustration --since 7d --wait
  signals run task-outcome --since 2026-11-01T00:00:00Z --until 2026-11-30T00:00:00Z --rate 0.1`,
  args: [0, 1],
  options: { signal: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, rate: { type: 'string' }, wait: { type: 'boolean' } },
  async run({ values, positionals, backend }) {
    const ref = positionals[0] ?? str(values, 'signal');
    if (ref === undefined) throw new UsageError('name the signal (signals run NAME --since 24h)');
    const since = str(values, 'since');
    if (since === undefined) throw new UsageError('--since is required (ISO 8601 or a duration ago such as 24h)');
    const { api, service } = await backend('backfill');
    let run = await api.startRun(ref, { since, until: str(values, 'until') ?? new Date().toISOString(), rate: num(values, 'rate') });
    if (values.wait) run = await waitForRun(api, service, run);
    if (values.json) printJson(run);
    else print(values.wait || service === undefined ? runLine(run) : `${runLine(run)} (signals run --wait or signals serve runs it)`);
    return run.status === 'failed' ? 1 : 0;
  },
});

/** Runs one request asks for at most (the service's largest page). */
const RUNS_PER_REQUEST = 200;

/**
 * `want` runs (every one when undefined) from `cursor` on, newest first, fetched a page at a time, and the cursor
 * after the last one when more follow (null when the list ended).
 */
async function collectRuns(api: SignalsApi, ref: string | undefined, want: number | undefined, cursor: string | undefined): Promise<Page<RunSummary>> {
  const items: RunSummary[] = [];
  let next = cursor;
  for (;;) {
    const limit = want === undefined ? RUNS_PER_REQUEST : Math.min(RUNS_PER_REQUEST, want - items.length);
    const page = await api.listRuns(ref, { limit, cursor: next });
    items.push(...page.items);
    if (page.nextCursor === null || (want !== undefined && items.length >= want)) return { items, nextCursor: page.nextCursor };
    next = page.nextCursor;
  }
}

/** `signals runs [NAME]`. */
export const runRuns = command({
  name: 'runs',
  help: `Usage: signals runs [NAME] [--limit N | --all] [--cursor C] [--json]
       signals runs show ID | cancel ID

Lists backfill runs (of one signal, or all), newest first, with status, progress and labels by value;
show prints one run, cancel stops a queued or running one. When more runs follow than were listed,
the last line says so and how to go on.

Options
  --limit N      runs listed (default 50; any number, fetched 200 at a time)
  --all          every run
  --cursor C     go on after the runs listed before (printed under the table; nextCursor in --json)
  --json         as JSON: {items, nextCursor} (RunSummary for show and cancel)
${BACKEND_HELP}

Examples
  signals runs
  signals runs frustration --all --json
  signals runs cancel run_0123`,
  args: [0, 2],
  options: { limit: { type: 'string' }, all: { type: 'boolean' }, cursor: { type: 'string' } },
  async run({ values, positionals, backend }) {
    const { api } = await backend(positionals[0] === 'cancel' ? 'backfill' : 'read');
    if (positionals[0] === 'show' || positionals[0] === 'cancel') {
      if (positionals[1] === undefined) throw new UsageError(`signals runs ${positionals[0]} ID`);
      const run = positionals[0] === 'show' ? await api.getRun(positionals[1]) : await api.cancelRun(positionals[1]);
      if (values.json) printJson(run);
      else print(runLine(run));
      return 0;
    }
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
    const limit = num(values, 'limit');
    if (limit !== undefined && values.all) throw new UsageError('--limit and --all: give one');
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) throw new UsageError(`--limit: a whole number from 1, got ${limit}`);
    const page = await collectRuns(api, positionals[0], values.all ? undefined : (limit ?? DEFAULT_LISTED), str(values, 'cursor'));
    if (values.json) {
      printJson(page);
      return 0;
    }
    if (page.items.length === 0) print('no runs');
    else {
      const names = new Map((await api.listSignals({ includeArchived: true })).map((s) => [s.id, s.name]));
      const rows = page.items.map((r) => [r.id, names.get(r.signalId) ?? r.signalId, `v${r.version}`, statusCell(r), `${r.done}/${r.total}`, r.since, r.until, counts(r.counts)]);
      process.stdout.write(table(['RUN', 'SIGNAL', 'VERSION', 'STATUS', 'DONE', 'SINCE', 'UNTIL', 'LABELS'], rows));
    }
    if (page.nextCursor !== null) print(`more runs: --cursor ${page.nextCursor} (or --all)`);
    return 0;
  },
});
