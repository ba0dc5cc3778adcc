import type { Store } from '../store/types.js';
import type { SignalsApi } from './api.js';
import { driveRun, type BatchOutcome, processRunBatch } from './backfill.js';
import { serviceContext, type ServiceContext, type ServiceOptions } from './context.js';
import { ingestLogsWith, ingestWith, type IngestResult, type LogsIngestResult } from './ingest.js';
import type { ExportLogsRequestJson } from '../otlp/types.js';
import type { AgentScope } from './scope.js';
import { apiFor } from './local-api.js';
import { processLlmJobs } from './llm-worker.js';
import { tickWith, type TickParts, type TickResult } from './tick.js';

/** The signals service over one store: the API plus the entry points the runners (Node, Workers) drive. */
export interface SignalsService {
  api: SignalsApi;
  /** Stores an OTLP/JSON export (or `CapturedSpan[]`) and labels new span-scope targets. */
  ingest(input: unknown, scope?: AgentScope): Promise<IngestResult>;
  /** Stores the GenAI events of a validated OTLP logs export and joins them to their spans (stored or to come). */
  ingestLogs(request: ExportLogsRequestJson, scope?: AgentScope): Promise<LogsIngestResult>;
  /** Settles traces/sessions, runs queued LLM jobs and backfill runs, prunes (timer on Node, Cron on Workers). */
  tick(now?: number, parts?: TickParts): Promise<TickResult>;
  /** One backfill batch (the Workers queue consumer's unit of work). */
  runBatch(runId: string): Promise<BatchOutcome>;
  /** Batches of one run until it finishes or `maxBatches` ran. */
  driveRun(runId: string, maxBatches?: number): Promise<BatchOutcome>;
  /** Up to `limit` queued LLM jobs. */
  llmJobs(limit?: number): Promise<number>;
  readonly context: ServiceContext;
}

/** Builds the signals service. */
export function createSignalsService(store: Store, options: ServiceOptions = {}): SignalsService {
  const ctx = serviceContext(store, options);
  return {
    api: apiFor(ctx),
    ingest: (input, scope) => ingestWith(ctx, input, scope),
    ingestLogs: (request, scope) => ingestLogsWith(ctx, request, scope),
    tick: (now, parts) => tickWith(ctx, now ?? ctx.now(), parts),
    runBatch: (id) => processRunBatch(ctx, id),
    driveRun: (id, maxBatches) => driveRun(ctx, id, maxBatches),
    llmJobs: (limit) => processLlmJobs(ctx, limit),
    context: ctx,
  };
}
