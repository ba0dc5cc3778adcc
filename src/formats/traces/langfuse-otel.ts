import { jsonOrText } from './chat.js';
import { langfuseObservationMessages } from './langfuse-io.js';
import type { SpanRead, SpanView } from './span-view.js';

/**
 * Langfuse OTel attributes: `langfuse.observation.type` (generation or tool), `langfuse.observation.input` /
 * `langfuse.observation.output` (JSON text). Span-type observations carry arbitrary function input, not turns.
 */
export function readLangfuseOtel(span: SpanView): SpanRead | undefined {
  const a = span.attributes;
  if (a['langfuse.observation.input'] === undefined && a['langfuse.observation.output'] === undefined) return undefined;
  // Without a type, the SDKs' default is a plain span; a model name makes it a generation.
  const model = a['langfuse.observation.model.name'] ?? a['gen_ai.request.model'];
  const type = typeof a['langfuse.observation.type'] === 'string' ? a['langfuse.observation.type'] : model === undefined ? 'span' : 'generation';
  // The SDK writes both as JSON, so a string output arrives quoted; text that is not JSON is kept as written.
  return langfuseObservationMessages(type, span.name, jsonOrText(a['langfuse.observation.input']), jsonOrText(a['langfuse.observation.output']));
}
