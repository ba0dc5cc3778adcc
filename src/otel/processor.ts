import { diag, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { analyze } from '../core/index.js';
import type { AnalyzeOptions } from '../core/types.js';
import { annotateSpan } from './annotate.js';
import { spanConversation } from './span-messages.js';

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
}

/**
 * Wraps the app's span processor and enriches every span that carries `gen_ai.input.messages` and/or
 * `gen_ai.output.messages` with the conversation's signals before the wrapped processor sees it end.
 *
 * It works in `onEnding`, the one hook where an SDK 2.x span is complete and still writable (by `onEnd` it is
 * a read-only `ReadableSpan`), and forwards `onEnding` to the wrapped processor afterwards, so any exporter
 * downstream gets the enriched span. Other spans pass through untouched. Analysis errors (e.g. malformed
 * message JSON) are reported through `diag` and never reach the app's `span.end()`.
 */
export class SignalsSpanProcessor implements SpanProcessor {
  readonly #next: SpanProcessor;
  readonly #options: SignalsSpanProcessorOptions;

  constructor(next: SpanProcessor, options: SignalsSpanProcessorOptions = {}) {
    this.#next = next;
    this.#options = options;
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
    return this.#next.shutdown();
  }

  #enrich(span: Span): void {
    try {
      const messages = spanConversation(span.attributes);
      if (messages === undefined) return;
      const report = analyze(messages, this.#options.analyzeOptions);
      annotateSpan(span, report, { evaluationEvents: this.#options.evaluationEvents, spanName: span.name });
    } catch (error) {
      diag.warn(`agent-signals: span "${span.name}" left unannotated: ${String(error)}`);
    }
  }
}
