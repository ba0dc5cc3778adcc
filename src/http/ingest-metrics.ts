import type { PendingWork } from '../service/api.js';
import type { IngestQueue } from './ingest-queue.js';

/** The OTLP receivers counted apart. */
export type Receiver = 'traces' | 'logs';

/** How an export was answered: taken (2xx), asked to come again (503, 429), refused as sent (other 4xx), failed (5xx). */
type Outcome = 'ok' | 'retry' | 'refused' | 'failed';

/** What a receiver tells of the spans of one export it stored. */
export interface SpanCounts {
  /** Spans read from the export. */
  received: number;
  /** Spans not stored before. */
  stored: number;
  /** Spans dropped as unreadable or refused (another agent's, for a scoped key). */
  rejected: number;
  /** Span-scope labels written. */
  labels: number;
}

/**
 * Counters of one process's OTLP receivers since it started, and its ingest queue, in the Prometheus text format
 * (`GET /v1/metrics`), beside the store's backlog (what settles, LLM jobs, notifications) which every replica reads
 * alike. Each replica answers for itself; a scraper sums them.
 */
export class IngestMetrics {
  private readonly exports = new Map<string, number>();
  private readonly spans: Record<keyof SpanCounts, number> = { received: 0, stored: 0, rejected: 0, labels: 0 };

  constructor(private readonly queue: IngestQueue) {}

  /** Counts an export answered with `status`. */
  answered(receiver: Receiver, status: number): void {
    const key = `${receiver}\0${outcomeOf(status)}`;
    this.exports.set(key, (this.exports.get(key) ?? 0) + 1);
  }

  /** Adds what one stored export held. */
  stored(counts: SpanCounts): void {
    for (const k of Object.keys(this.spans) as (keyof SpanCounts)[]) this.spans[k] += counts[k];
  }

  /** The exposition (text format 0.0.4), with the store's backlog `pending` when a store is configured. */
  render(pending: PendingWork | undefined): string {
    const out: string[] = [];
    const family = (name: string, type: 'counter' | 'gauge', help: string, samples: [labels: Record<string, string>, value: number][]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) out.push(`${name}${labelText(labels)} ${value}`);
    };
    const exportSamples: [Record<string, string>, number][] = [];
    for (const receiver of ['traces', 'logs'] as const) {
      for (const outcome of ['ok', 'retry', 'refused', 'failed'] as const) exportSamples.push([{ receiver, outcome }, this.exports.get(`${receiver}\0${outcome}`) ?? 0]);
    }
    family('signals_ingest_exports_total', 'counter', 'OTLP exports this process answered, by receiver and outcome (ok 2xx, retry 503/429, refused 4xx, failed 5xx).', exportSamples);
    family('signals_ingest_spans_total', 'counter', 'Spans of stored trace exports: received, stored (new), rejected (unreadable or out of scope).', [
      [{ result: 'received' }, this.spans.received],
      [{ result: 'stored' }, this.spans.stored],
      [{ result: 'rejected' }, this.spans.rejected],
    ]);
    family('signals_span_labels_total', 'counter', 'Span-scope labels written as exports were stored.', [[{}, this.spans.labels]]);
    const held = this.queue.held;
    family('signals_ingest_queue_exports', 'gauge', 'Request bodies (exports, analyze batches) this process holds now, from their first byte to their answer.', [[{}, held.exports]]);
    family('signals_ingest_queue_bytes', 'gauge', 'Bytes of those bodies: declared, read or inflated so far.', [[{}, held.bytes]]);
    family('signals_ingest_queue_limit_bytes', 'gauge', 'SIGNALS_INGEST_QUEUE_BYTES: past it an export is answered 503.', [[{}, this.queue.maxBytes]]);
    family('signals_ingest_queue_tenant_limit_bytes', 'gauge', "Bytes one caller (an agent's key, or the operator's token) may hold: SIGNALS_INGEST_QUEUE_TENANT_SHARE of the limit.", [[{}, this.queue.tenantMaxBytes]]);
    // By reason only: a series per caller would grow with the keys and put each agent's name in the exposition.
    const refusals = this.queue.refusals;
    family('signals_ingest_queue_refusals_total', 'counter', 'Request bodies answered 503 by the queue: it was full (queue), or their caller held its share (tenant_share).', [
      [{ reason: 'queue' }, refusals.queue],
      [{ reason: 'tenant_share' }, refusals.tenant_share],
    ]);
    if (pending === undefined) return `${out.join('\n')}\n`;
    family('signals_settle_waiting', 'gauge', 'Traces and sessions waiting to settle (store-wide).', [
      [{ kind: 'trace' }, pending.waiting.traces],
      [{ kind: 'session' }, pending.waiting.sessions],
    ]);
    family('signals_llm_jobs', 'gauge', 'LLM judging jobs in the store, by status.', [
      [{ status: 'queued' }, pending.llm.queued],
      [{ status: 'running' }, pending.llm.running],
      [{ status: 'failed' }, pending.llm.failed],
    ]);
    family('signals_notifications', 'gauge', 'Alert notifications not sent yet (pending) and given up on (failed).', [
      [{ status: 'pending' }, pending.notifications.pending],
      [{ status: 'failed' }, pending.notifications.failed],
    ]);
    return `${out.join('\n')}\n`;
  }
}

function outcomeOf(status: number): Outcome {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 503 || status === 429) return 'retry';
  return status < 500 ? 'refused' : 'failed';
}

// Label values here are fixed words: no escaping is needed, and none of a caller's text ever becomes one.
const labelText = (labels: Record<string, string>): string => {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
};
