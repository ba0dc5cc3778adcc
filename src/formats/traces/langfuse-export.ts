import type { CapturedSpan } from '../captured-span.js';
import { FormatError } from '../format-error.js';
import { isJsonObject, jsonTypeOf, type JsonObject } from '../json-value.js';
import { isoToNanos } from './iso-nanos.js';
import { langfuseObservationMessages } from './langfuse-io.js';
import type { ReadSpansResult } from './read-spans.js';

/** True for a Langfuse API trace (`{id, observations: [...]}`) or a page of them (`{data: [trace…]}`). */
export function isLangfuseExport(record: JsonObject): boolean {
  if (Array.isArray(record.observations)) return true;
  return Array.isArray(record.data) && record.data.length > 0 && record.data.every((item) => isJsonObject(item) && Array.isArray(item.observations));
}

function spansOfTrace(trace: JsonObject, where: string, agent: string | undefined, result: ReadSpansResult): void {
  const traceId = String(trace.id ?? '');
  const sessionId = trace.sessionId === undefined || trace.sessionId === null ? null : String(trace.sessionId);
  (trace.observations as unknown[]).forEach((observation, i) => {
    if (!isJsonObject(observation)) {
      throw new FormatError(`${where}.observations[${i}]: observation must be an object, got ${jsonTypeOf(observation)} (the trace list endpoint gives ids only: export each trace with GET /api/public/traces/{id})`);
    }
    const type = String(observation.type ?? 'SPAN');
    const name = String(observation.name ?? '');
    const read = langfuseObservationMessages(type, name, observation.input ?? undefined, observation.output ?? undefined);
    const messages = read?.messages ?? [];
    const unreadable = type === 'GENERATION' && messages.length === 0;
    const spanId = String(observation.id ?? '');
    if (unreadable) result.warnings.push({ name, traceId, spanId, reason: 'generation without readable input/output' });
    result.spans.push({
      traceId,
      spanId,
      parentSpanId: observation.parentObservationId === undefined || observation.parentObservationId === null ? '' : String(observation.parentObservationId),
      name,
      agent: agent ?? (typeof trace.name === 'string' && trace.name !== '' ? trace.name : 'unknown'),
      sessionId,
      convention: 'langfuse',
      kind: messages.length === 0 ? 'other' : read?.kind ?? 'other',
      startTimeUnixNano: isoToNanos(observation.startTime),
      endTimeUnixNano: isoToNanos(observation.endTime ?? observation.startTime),
      model: typeof observation.model === 'string' ? observation.model : null,
      messages,
      unreadable,
    });
  });
}

/**
 * A Langfuse API trace export (GET /api/public/traces/{id}: `{id, name, sessionId, observations: [{id, type,
 * name, startTime, parentObservationId, input, output, model}]}`, or a `{data: [...]}` page of them) →
 * captured spans: GENERATION observations carry the chat input/output, TOOL observations a tool run.
 */
export function readLangfuseExport(record: unknown, agent?: string): ReadSpansResult {
  if (!isJsonObject(record) || !isLangfuseExport(record)) throw new FormatError('Langfuse export must be a trace with an "observations" array, or {"data": [traces]}');
  const result: ReadSpansResult = { spans: [], warnings: [] };
  if (Array.isArray(record.observations)) spansOfTrace(record, 'trace', agent, result);
  else (record.data as JsonObject[]).forEach((trace, i) => spansOfTrace(trace, `data[${i}]`, agent, result));
  return result;
}
