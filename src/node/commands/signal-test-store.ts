import { formatTestResult } from '../../custom/test-signal.js';
import { ServiceError } from '../../service/api.js';
import { UsageError } from '../usage-error.js';
import { oneLine, openBackend, requireActions } from './cli-kit.js';

/** The options of `signals test` that pick stored traffic. */
export interface StoredTestOptions {
  signal?: string;
  json?: boolean;
  db?: string;
  url?: string;
  since?: string;
  until?: string;
}

/**
 * `signals test --store`: the preview of a stored signal on the stored traffic of its agent and scope (the local
 * store, or `--url`), printed as the file preview prints it. Exit 1 when the service refuses (unknown signal).
 */
export async function testStored(values: StoredTestOptions, positionals: string[], sample: number): Promise<number> {
  if (values.signal === undefined) throw new UsageError('--signal NAME: the stored signal to test');
  if (positionals.length > 0) throw new UsageError('give FILES or stored traffic (--store, --db, --url, --since, --until), not both');
  const backend = await openBackend(values);
  try {
    await requireActions(backend, ['test_signals']);
    const r = await backend.api.testSignal({ ref: values.signal, sample, since: values.since, until: values.until });
    const cost = { requests: 0, inputTokens: 0, outputTokens: 0, usd: 0 };
    for (const row of r.rows) {
      cost.requests += row.cost.requests;
      cost.inputTokens += row.cost.inputTokens;
      cost.outputTokens += row.cost.outputTokens;
      cost.usd += row.cost.usd;
    }
    const result = { signal: values.signal, n: r.rows.length, distribution: r.distribution, unreadable: r.unreadable, filtered: r.filtered ?? 0, rows: r.rows, cost };
    const filtered = r.filtered ? `  ${r.filtered} more recent target(s) outside the signal's filter: not judged\n` : '';
    process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatTestResult(result).replace('\n\nid\t', `\n${filtered}\nid\t`));
    return 0;
  } catch (err) {
    if (!(err instanceof ServiceError)) throw err;
    process.stderr.write(`signals test: ${oneLine(err.message)}\n`);
    return err.code === 'unavailable' ? 2 : 1;
  } finally {
    await backend.close();
  }
}
