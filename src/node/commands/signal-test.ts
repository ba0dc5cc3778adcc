import { parseArgs } from 'node:util';
import { formatTestResult, MAX_TEST_SAMPLE, testSignal } from '../../custom/test-signal.js';
import { isFormatName } from '../../formats/index.js';
import type { FormatName } from '../../formats/conversation.js';
import { providersFor, signalFromArgs, targetsFromFiles } from '../signal-inputs.js';
import { UsageError } from '../usage-error.js';
import { testStored } from './signal-test-store.js';

const USAGE = `Usage: signals test --signal NAME [FILES|-] [--sample N] [options]
       signals test --signal NAME --store [--db PATH | --url URL] [--since T] [--until T]

Classifies a sample of conversations with a custom signal, right now, and prints the label
distribution and one row per target (id, label, judge, cost, explanation). Nothing is written.
From files, the sample is the N targets with the lowest sampling unit (the order live sampling uses). With
--store, it is the MOST RECENT N targets of the window (--since/--until; default all stored traffic), newest
first. Nothing is stored either way.

Options
  --signal NAME         a signal of the config, or a template id
  --sample N            how many targets, 1 to ${MAX_TEST_SAMPLE} (default 20)
  --config FILE         signals.config.yaml|json (default: ./signals.config.yaml if present)
  --json                print the result as JSON
  -f, --format NAME     read every record as NAME instead of detecting it
  --store               the stored traffic of a stored signal (implied by --db, --url, --since, --until)
  --db PATH|URL         the local store (default: $SIGNALS_DB, else .signals/signals.db)
  --url URL             a running service (token from $SIGNALS_API_TOKEN)
  --since T, --until T  the window of stored traffic (ISO 8601, or a duration ago: 24h)
  -h, --help            show this help

Targets come from FILES or stdin (JSONL or JSON, any format the analyzer reads), or from the store.
Exit codes: 0 ok, 1 refused by the service (unknown signal), 2 usage error.

Examples
  signals test --signal frustration conversations.jsonl --sample 50
  signals test --signal task-outcome --store --since 24h`;

/** `signals test`: a synchronous preview of a signal on a few targets. Returns the exit code. */
export async function runSignalTest(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        signal: { type: 'string' },
        sample: { type: 'string', default: '20' },
        config: { type: 'string' },
        json: { type: 'boolean' },
        since: { type: 'string' },
        until: { type: 'string' },
        format: { type: 'string', short: 'f' },
        help: { type: 'boolean', short: 'h' },
        store: { type: 'boolean' },
        db: { type: 'string' },
        url: { type: 'string' },
      },
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const sample = Number(values.sample);
    if (!Number.isInteger(sample) || sample < 1 || sample > MAX_TEST_SAMPLE) throw new UsageError(`--sample: an integer from 1 to ${MAX_TEST_SAMPLE}, got "${values.sample}"`);
    if (values.format !== undefined && !isFormatName(values.format)) throw new UsageError(`--format: unknown format "${values.format}"`);
    // Stored traffic: a window of the store (local or --url) instead of files.
    if (values.store || values.db !== undefined || values.url !== undefined || values.since !== undefined || values.until !== undefined) {
      return await testStored(values, positionals, sample);
    }
    if (positionals.length === 0 && process.stdin.isTTY) throw new UsageError('give FILES (or pipe conversations on stdin)');
    const definition = await signalFromArgs(values.signal, values.config);
    // The `targets` hook: files now; the store's targets (with --since/--until) plug in here.
    const targets = targetsFromFiles(positionals, definition, values.format as FormatName | undefined, 'test');
    const result = await testSignal({ definition, targets, sample, context: { env: process.env, providers: providersFor(values.config) } });
    process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatTestResult(result));
    return 0;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (!(error instanceof UsageError) && !(typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) throw error;
    process.stderr.write(`signals test: ${(error as Error).message}\n`);
    return 2;
  }
}
