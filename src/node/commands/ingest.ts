import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startNodeService } from '../../service/node-runner.js';
import type { IngestResult } from '../../service/ingest.js';
import { ServiceError } from '../../service/api.js';
import { sampleTraffic } from '../sample-traffic.js';
import { parseRetryAfter } from '../../custom/llm/retry.js';
import { createHttpClient } from '../../service/http-api.js';
import { escapeControls } from '../escape-controls.js';
import { oneLine, remoteService, type RemoteService } from './cli-kit.js';
import { renamedWarning } from '../../formats/agent-name.js';

const HELP = `Usage: signals ingest (FILE... | --sample [--agent NAME]) [--db PATH|URL | --url URL] [--no-settle]

Stores the spans of OTLP/JSON trace exports in the signals store and labels them with every active
signal of their agent, as POST /v1/traces does. A .json file holds one export; a .jsonl file one
export per line. Archived traffic is complete, so traces and sessions are labelled at once
(--no-settle waits for the service's settle/idle times instead).

Options:
  --db PATH|URL   the store (default: $SIGNALS_DB, else .signals/signals.db)
  --url URL       send the exports to a running service's POST /v1/traces instead (default: $SIGNALS_URL;
                  token: $SIGNALS_API_TOKEN), as every --url command speaks to it; an export answered 503 or
                  429 is sent again after its Retry-After, up to 5 times; one not answered within
                  $SIGNALS_CLIENT_TIMEOUT_SECONDS (default 60) stops the command (running it again is safe:
                  the service stores a span once)
  --sample        the bundled sample (corpus/sample.sharegpt.jsonl) as an agent's traffic over the last day
  --agent NAME    the agent of --sample traffic (default ridgeline-support)
  --no-settle     do not label trace and session targets now
  --json          print the totals as JSON
  -h, --help      this help

Examples:
  signals ingest exports/2026-11-30.json
  signals ingest --sample --agent support-bot
  signals ingest exports/*.jsonl --url http://127.0.0.1:8787
  SIGNALS_DB=/var/lib/signals.db signals ingest traces/*.jsonl --json
`;

/** `signals ingest FILES`: archived OTLP/JSON exports into the store, labelled live. Exit 0, or 2 on a bad file. */
export async function runIngest(argv: string[]): Promise<number> {
  let values: { db?: string; url?: string; sample?: boolean; agent?: string; 'no-settle'?: boolean; json?: boolean; help?: boolean };
  let files: string[];
  try {
    const parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { db: { type: 'string' }, url: { type: 'string' }, sample: { type: 'boolean' }, agent: { type: 'string' }, 'no-settle': { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    values = parsed.values;
    files = parsed.positionals;
  } catch (err) {
    process.stderr.write(`signals ingest: ${(err as Error).message} (see signals ingest --help)\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  if (files.length === 0 && values.sample !== true) {
    process.stderr.write('signals ingest: give at least one OTLP/JSON export file, or --sample (see signals ingest --help)\n');
    return 2;
  }
  let remote;
  try {
    remote = remoteService(values);
  } catch (err) {
    process.stderr.write(`signals ingest: ${escapeControls((err as Error).message)} (see signals ingest --help)\n`);
    return 2;
  }
  if (remote !== undefined) {
    if (values.sample === true) {
      process.stderr.write('signals ingest: --sample writes to the local store (--db); a service receives OTLP exports (FILES)\n');
      return 2;
    }
    return sendExports(files, remote, values.json === true);
  }
  const env = values.db === undefined ? process.env : { ...process.env, SIGNALS_DB: values.db };
  const node = await startNodeService(env, { intervalMs: 3_600_000 });
  const total: IngestResult = { spans: 0, stored: 0, labels: 0, queued: 0, unreadable: 0 };
  try {
    if (values.sample === true) {
      const traffic = await sampleTraffic(values.agent ?? 'ridgeline-support', node.service.context.now());
      for (const spans of traffic) {
        addTo(total, await node.service.ingest(spans));
      }
    }
    for (const file of files) {
      const lines = await readExports(file);
      if (lines === undefined) return 2;
      for (const [line, n] of lines) {
        let body: unknown;
        try {
          body = JSON.parse(line);
        } catch (err) {
          process.stderr.write(`signals ingest: ${file}:${n}: not JSON: ${(err as Error).message}\n`);
          return 2;
        }
        try {
          addTo(total, await node.service.ingest(body));
        } catch (err) {
          if (!(err instanceof ServiceError)) throw err;
          process.stderr.write(`signals ingest: ${escapeControls(file)}:${n}: ${escapeControls(oneLine(err.message))}\n`);
          return 2;
        }
      }
    }
    let settled = 0;
    let unreadable = 0;
    if (values['no-settle'] !== true) {
      const ctx = node.service.context;
      // Everything in an archive is finished: tick as if the settle and idle times had passed.
      const t = await node.service.tick(ctx.now() + ctx.sessionIdleMs + ctx.traceSettleMs, { runs: false });
      settled = t.labels;
      unreadable = t.unreadable;
    }
    const out = { ...total, labels: total.labels + settled, unreadable: total.unreadable + unreadable };
    process.stdout.write(
      values.json === true
        ? `${JSON.stringify(out)}\n`
        : `ingested ${out.spans} spans (${out.stored} new) from ${values.sample === true ? 'the sample' : `${files.length} file(s)`}; ${out.labels} labels, ${out.queued} queued for the LLM judge${out.unreadable > 0 ? `; ${out.unreadable} targets with no readable message (not labelled)` : ''}${out.renamed !== undefined ? `; ${renamedWarning(out.renamed, 'span(s)')}` : ''}\n`,
    );
    return 0;
  } finally {
    await node.stop();
  }
}

/** Tries of one export answered 503 or 429 (the service asks to come again: its queue is full, its store short). */
const SEND_TRIES = 5;
/** The longest wait between two tries, whatever Retry-After says. */
const MAX_WAIT_MS = 30_000;

/**
 * `--url`: each export (a .json file, or a .jsonl line) to the service's POST /v1/traces through the client every
 * `--url` command uses (its headers, its errors: one line, never the body of an answer that is not the service's),
 * sent again after the answer's Retry-After while it is 503 or 429 (as OTLP exporters do), up to 5 tries; the first
 * refusal stops with its message.
 */
async function sendExports(files: string[], remote: RemoteService, json: boolean): Promise<number> {
  // An export that ran out of time is not sent again: the service may have stored it, and one that does not answer
  // in time is not one to send more to. The command stops with the line saying so.
  const client = createHttpClient(remote.url, remote.token, remote.timeoutMs);
  let sent = 0;
  for (const file of files) {
    const bodies = await readExports(file);
    if (bodies === undefined) return 2;
    for (const [body, n] of bodies) {
      const request = { method: 'POST', path: '/traces', body };
      try {
        for (let attempt = 1; ; attempt++) {
          const res = await client.send(request);
          if ((res.status !== 503 && res.status !== 429) || attempt === SEND_TRIES) {
            // The service's warning (spans stored renamed) or partial refusal, as an exporter would log it.
            const partial = (await client.read<{ partialSuccess?: { errorMessage?: string } } | null>(request, res))?.partialSuccess;
            if (partial?.errorMessage) process.stderr.write(`signals ingest: ${escapeControls(file)}:${n}: ${escapeControls(partial.errorMessage)}\n`);
            break;
          }
          const waitMs = Math.min(MAX_WAIT_MS, parseRetryAfter(res.headers.get('retry-after'), Date.now()) ?? 1000 * attempt);
          await res.body?.cancel();
          process.stderr.write(`signals ingest: ${escapeControls(file)}:${n}: HTTP ${res.status}, sending it again in ${Math.ceil(waitMs / 1000)} s\n`);
          await new Promise((resolve) => setTimeout(resolve, waitMs));
        }
      } catch (err) {
        if (!(err instanceof ServiceError)) throw err;
        process.stderr.write(`signals ingest: ${escapeControls(file)}:${n}: ${escapeControls(oneLine(err.message))}\n`);
        return err.code === 'unavailable' ? 2 : 1;
      }
      sent += 1;
    }
  }
  process.stdout.write(json ? `${JSON.stringify({ exports: sent })}\n` : `sent ${sent} export(s) to ${remote.url}/v1/traces\n`);
  return 0;
}

/** The exports in `file` with their line numbers (a .json file is one export, a .jsonl file one per non-blank line); undefined, with the reason on stderr, if it cannot be read. */
async function readExports(file: string): Promise<(readonly [string, number])[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    process.stderr.write(`signals ingest: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
    return undefined;
  }
  return file.endsWith('.jsonl') ? text.split('\n').map((l, i) => [l, i + 1] as const).filter(([l]) => l.trim() !== '') : [[text, 1] as const];
}

/** Adds one ingest's counts to the running totals. */
function addTo(total: IngestResult, r: IngestResult): void {
  total.spans += r.spans;
  total.stored += r.stored;
  total.labels += r.labels;
  total.queued += r.queued;
  total.unreadable += r.unreadable;
  if (r.renamed !== undefined) total.renamed = (total.renamed ?? 0) + r.renamed;
}
