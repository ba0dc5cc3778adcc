/**
 * OpenTelemetry output (spec §14): the pure report → attributes/events mapping, span annotation, an SDK span
 * processor for GenAI spans and the `--otlp-out` file writer. Depends on the core; the core never imports this.
 * Every export below carries its JSDoc at its declaration.
 */

/** Pure mapping (no OpenTelemetry import): typed §14.2 attributes, §14.3 events, GenAI evaluation events, 🚩. */
export {
  DOUBLE_KEYS,
  EVALUATION_EVENT_NAME,
  FLAG_MARKER,
  evaluationEvents,
  flaggedName,
  isConcerning,
  signalSpanAttributes,
  signalSpanEvents,
} from './attributes.js';
/** Typed attribute and event values of the mapping. */
export type { OtelAttributeType, SignalAttribute, SignalEvent } from './attributes.js';
/** Writes a report onto a live OpenTelemetry API span. */
export { annotateSpan, type AnnotateOptions } from './annotate.js';
/** SDK span processor that analyzes GenAI spans before they are exported. */
export { SignalsSpanProcessor, type SignalsSpanProcessorOptions } from './processor.js';
/** The conversation rows recorded on a GenAI span's `gen_ai.input.messages` / `gen_ai.output.messages`. */
export { GENAI_MESSAGE_KEYS, spanConversation } from './span-messages.js';
/** `--otlp-out`: reports → OTLP/JSON Lines file. */
export { createOtlpFileWriter, type OtlpFileWriter, type OtlpFileWriterOptions } from './otlp-out.js';
/** OTLP/JSON request shapes and the number-type fix-up applied after OpenTelemetry JS serialization. */
export {
  fixOtlpJsonTypes,
  type ExportTraceServiceRequest,
  type OtlpAnyValue,
  type OtlpKeyValue,
  type OtlpSpan,
} from './otlp-types.js';
