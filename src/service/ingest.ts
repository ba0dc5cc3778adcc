import type { CapturedSpan } from '../formats/captured-span.js';
import { labelStatements } from '../store/labels.js';
import { activeSignals } from '../store/signals.js';
import { nsToMs, spanRow, spanStatements } from '../store/traffic.js';
import type { Store } from '../store/types.js';
import { ServiceError } from './api.js';
import { serviceContext, type ServiceContext, type ServiceOptions } from './context.js';
import { currentDefinition, jobStatements, judgeTargets, type LabellingSignal, type TimedTarget } from './labeller.js';
import { slicer } from './slices.js';
import { hasReadableMessage } from '../custom/readable.js';
import { targetFromSpans } from './targets.js';

/** What one ingest did. */
export interface IngestResult {
  /** Spans in the input. */
  spans: number;
  /** Spans not stored before (a re-ingest gives 0). */
  stored: number;
  /** Span-scope labels written inline. */
  labels: number;
  /** LLM jobs queued. */
  queued: number;
  /** New LLM spans with no readable message: stored, never labelled. */
  unreadable: number;
}

/**
 * Stores the spans of an OTLP/JSON export (or spans already read) and labels new span-scope targets for every
 * active signal of their agent at once; trace and session scopes are labelled by `tick` once they settle.
 */
export async function ingest(
  store: Store,
  input: unknown,
  options: ServiceOptions & { now?: number | (() => number) },
): Promise<IngestResult> {
  const { now, ...rest } = options;
  const clock = typeof now === 'number' ? () => now : now;
  return ingestWith(serviceContext(store, { ...rest, now: clock }), input);
}

/** `ingest` over a resolved context. */
export async function ingestWith(ctx: ServiceContext, input: unknown): Promise<IngestResult> {
  let spans: CapturedSpan[];
  if (Array.isArray(input)) spans = input as CapturedSpan[];
  else {
    try {
      spans = ctx.ports.readSpans(input);
    } catch (e) {
      throw new ServiceError('invalid', `Not a readable OTLP/JSON trace export: ${(e as Error).message}`);
    }
  }
  const now = ctx.now();
  // The spans, their span-scope labels and the LLM jobs that will label the rest commit in one batch: a crash
  // leaves either all of them or none (the exporter re-sends an export that was not acknowledged).
  const { fresh, statements } = await spanStatements(ctx.store, spans, now);
  const result: IngestResult = { spans: spans.length, stored: fresh.length, labels: 0, queued: 0, unreadable: 0 };
  // Span scope labels LLM calls (the unit `assembleConversations` gives per span); one without a readable message
  // is counted and never judged.
  const withMessages = fresh.filter((s) => s.kind === 'llm' && s.messages.length > 0 && !s.unreadable);
  result.unreadable = fresh.filter((s) => s.unreadable || (s.kind === 'llm' && s.messages.length === 0)).length;

  const byAgent = new Map<string, CapturedSpan[]>();
  for (const s of withMessages) {
    const list = byAgent.get(s.agent);
    if (list === undefined) byAgent.set(s.agent, [s]);
    else list.push(s);
  }
  for (const [agent, list] of byAgent) {
    const signals = await activeSignals(ctx.store, agent, 'span');
    if (signals.length === 0) continue;
    const slice = slicer();
    const targets: TimedTarget[] = [];
    for (const s of list) {
      await slice.tick();
      const target = targetFromSpans('span', s.spanId, [spanRow(s, now)], 1);
      if (hasReadableMessage(target)) targets.push({ target, at: nsToMs(s.endTimeUnixNano) });
      else result.unreadable++;
    }
    for (const row of signals) {
      const definition = await currentDefinition(ctx, row);
      if (definition === undefined) continue;
      const s: LabellingSignal = { row, version: row.version, definition };
      const judged = await judgeTargets(ctx, s, targets, { runId: null, rate: definition.sample_rate, background: false });
      statements.push(...(await labelStatements(ctx.store, judged.labels)), ...jobStatements(ctx, judged));
      result.labels += judged.labels.length;
      result.queued += judged.jobs.length;
    }
  }
  await ctx.store.batch(statements);
  if (result.queued > 0) await ctx.notify({ type: 'llm' });
  return result;
}
