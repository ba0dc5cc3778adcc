import { diag, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { analyze, AnalyzerCache, type AnalyzerCacheOptions } from '../core/index.js';
import type { AnalyzeOptions, SignalReport } from '../core/types.js';
import { annotateSpan } from './annotate.js';
import { spanConversation } from './span-messages.js';
import { SpanHistories } from './span-history.js';

/** Options of {@link SignalsSpanProcessor}. */
export interface SignalsSpanProcessorOptions {
  /**
   * `false` turns analysis off and the processor into a pass-through: the counterpart of the reference's
   * `overrides.disable_signals: true`. Default `true`.
   */
  enabled?: boolean;
  /** Add the `gen_ai.evaluation.result` events (default `true`). */
  evaluationEvents?: boolean;
  /** Analyzer thresholds and limits; the defaults equal the reference. */
  analyzeOptions?: AnalyzeOptions;
  /**
   * Which conversation a span belongs to; default its `gen_ai.conversation.id`, else `session.id`. Spans of
   * one conversation share an incremental analyzer that is fed only the rows each call adds; a span without
   * an id is analyzed on its own.
   */
  conversationId?: (span: Span) => string | undefined;
  /** Bounds of the per-conversation analyzers: count (LRU, default 1000) and idle time (default 30 min). */
  conversations?: AnalyzerCacheOptions;
}

/** Attributes that name a span's conversation, in order of preference. */
export const CONVERSATION_ID_KEYS = ['gen_ai.conversation.id', 'session.id'] as const;

/** The span's conversation id from {@link CONVERSATION_ID_KEYS}, if it has one. */
export function defaultConversationId(span: Span): string | undefined {
  for (const key of CONVERSATION_ID_KEYS) {
    const value = span.attributes[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/**
 * Wraps the app's span processor and enriches every span that carries `gen_ai.input.messages` and/or
 * `gen_ai.output.messages` with the conversation's signals before the wrapped processor sees it end.
 *
 * It works in `onEnding`, the one hook where an SDK 2.x span is complete and still writable (by `onEnd` it is
 * a read-only `ReadableSpan`), and forwards `onEnding` to the wrapped processor afterwards, so any exporter
 * downstream gets the enriched span. Spans of one conversation (see `conversationId`) share an incremental
 * analyzer: each LLM call repeats the conversation so far, and only the rows it adds are analyzed, with reports
 * identical to a full analysis. Other spans pass through untouched. Analysis errors (e.g. malformed
 * message JSON) are reported through `diag` and never reach the app's `span.end()`.
 */
export class SignalsSpanProcessor implements SpanProcessor {
  readonly #next: SpanProcessor;
  readonly #options: SignalsSpanProcessorOptions;
  readonly #analyzers: AnalyzerCache;
  readonly #histories: SpanHistories;

  constructor(next: SpanProcessor, options: SignalsSpanProcessorOptions = {}) {
    this.#next = next;
    this.#options = options;
    this.#analyzers = new AnalyzerCache(options.analyzeOptions, options.conversations);
    this.#histories = new SpanHistories(options.conversations?.maxConversations ?? 1000);
  }

  /** The per-conversation analyzers: their count and what they have appended, evicted and restarted. */
  get analyzers(): Pick<AnalyzerCache, 'size' | 'stats'> {
    return this.#analyzers;
  }

  onStart(span: Span, parentContext: Context): void {
    this.#next.onStart(span, parentContext);
  }

  onEnding(span: Span): void {
    if (this.#options.enabled ?? true) this.#enrich(span);
    this.#next.onEnding?.(span);
  }

  onEnd(span: ReadableSpan): void {
    this.#next.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.#next.forceFlush();
  }

  shutdown(): Promise<void> {
    this.#analyzers.clear();
    this.#histories.clear();
    return this.#next.shutdown();
  }

  /** The span's report: for a span of a known conversation, from the rows it adds (parsing only those when it can). */
  #report(span: Span): SignalReport | undefined {
    const id = (this.#options.conversationId ?? defaultConversationId)(span);
    if (id !== undefined) {
      const step = this.#histories.step(id, span.attributes);
      const report = step && this.#analyzers.appendTo(id, step.before, step.rows);
      if (report) return report;
    }
    const messages = spanConversation(span.attributes);
    if (messages === undefined) return undefined;
    if (id === undefined) return analyze(messages, this.#options.analyzeOptions);
    const report = this.#analyzers.report(id, messages);
    this.#histories.remember(id, span.attributes, messages);
    return report;
  }

  #enrich(span: Span): void {
    try {
      const report = this.#report(span);
      if (report === undefined) return;
      annotateSpan(span, report, { evaluationEvents: this.#options.evaluationEvents, spanName: span.name });
    } catch (error) {
      diag.warn(`agent-signals: span "${span.name}" left unannotated: ${String(error)}`);
    }
  }
}
