import type { Attributes, Span } from '@opentelemetry/api';
import type { SignalReport } from '../core/types.js';
import {
  evaluationEvents,
  flaggedName,
  signalSpanAttributes,
  signalSpanEvents,
  type SignalAttribute,
} from './attributes.js';

/** Options of {@link annotateSpan}. */
export interface AnnotateOptions {
  /** Also add one `gen_ai.evaluation.result` event per category with signals (default `true`). */
  evaluationEvents?: boolean;
  /**
   * The span's current name, needed for the flag marker because the API `Span` cannot be asked its name.
   * Defaults to the `name` property SDK spans expose; when neither is known the name is left as is.
   */
  spanName?: string;
}

function toAttributes(list: readonly SignalAttribute[]): Attributes {
  const attributes: Attributes = {};
  for (const { key, value } of list) attributes[key] = value;
  return attributes;
}

function currentName(span: Span): string | undefined {
  const name: unknown = (span as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Writes a report onto a live span (spec §14): the `signals.*` attributes, one `signal.<type>` event per signal,
 * then the GenAI evaluation events, and the 🚩 marker on the name when the conversation is concerning.
 *
 * The OTel API takes plain JS numbers, so exporters type a number by its value: `signals.quality_score` 62 and
 * `signals.efficiency_score` 1 leave the SDK as `intValue`, 0.8 as `doubleValue`. The values are exact either
 * way; the `--otlp-out` file writer restores the spec's double type (see `otlp-out.ts`).
 */
export function annotateSpan(span: Span, report: SignalReport, options: AnnotateOptions = {}): void {
  span.setAttributes(toAttributes(signalSpanAttributes(report)));
  const events = signalSpanEvents(report);
  if (options.evaluationEvents ?? true) events.push(...evaluationEvents(report));
  for (const event of events) span.addEvent(event.name, toAttributes(event.attributes));
  const name = options.spanName ?? currentName(span);
  if (name !== undefined) {
    const flagged = flaggedName(name, report);
    if (flagged !== name) span.updateName(flagged);
  }
}
