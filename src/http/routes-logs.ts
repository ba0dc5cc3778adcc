import { Hono } from 'hono';
import { decodeExportLogsRequest } from '../otlp/proto-decode.js';
import { encodeExportTraceResponse } from '../otlp/proto-response.js';
import { OtlpShapeError } from '../otlp/path.js';
import type { ExportLogsRequestJson } from '../otlp/types.js';
import { validateLogsExport, type RejectedLogRecord, type ValidatedLogsExport } from '../otlp/validate.js';
import type { LogsIngestResult } from '../service/ingest.js';
import type { StoreFaultLog } from '../store/faults.js';
import { readBodyBytes } from './body-bytes.js';
import { scopeOf } from './agent-keys.js';
import type { HttpConfig } from './config.js';
import { ApiError, storeUnavailable } from './errors.js';
import { parseOtlpJson } from './otlp-json.js';
import { requireMediaType } from './request.js';
import { JSON_TYPE, PROTOBUF_TYPE } from './media-type.js';
import { renamedWarning } from '../formats/agent-name.js';


/** `ExportLogsServiceResponse` in OTLP/JSON. */
interface ExportLogsResponseJson {
  partialSuccess?: { rejectedLogRecords?: number; errorMessage?: string };
}

/** The logs body decoded and validated; records with problems are dropped and counted, an export without any good record is a 400. */
function decodeLogsBody(bytes: Uint8Array, protobuf: boolean): { request: ExportLogsRequestJson; rejected: RejectedLogRecord[] } {
  let result: ValidatedLogsExport;
  try {
    result = protobuf ? validateLogsExport(decodeProtobuf(bytes)) : parseOtlpJson(bytes, validateLogsExport);
  } catch (err) {
    if (err instanceof OtlpShapeError) throw new ApiError(400, 'invalid_otlp', `Malformed OTLP logs export at ${err.message}`);
    throw err;
  }
  if (result.acceptedRecords === 0 && result.rejected.length > 0) {
    throw new ApiError(400, 'invalid_otlp', `No valid log record in the export; first problem at ${result.rejected[0].message}`);
  }
  return { request: result.request, rejected: result.rejected };
}

function decodeProtobuf(bytes: Uint8Array): unknown {
  try {
    return decodeExportLogsRequest(bytes);
  } catch (err) {
    if (err instanceof OtlpShapeError) throw new ApiError(400, 'invalid_otlp', `Malformed OTLP/protobuf at ${err.message}`);
    throw err;
  }
}

/**
 * `{}`, or `partialSuccess`: the records rejected here (malformed, naming another agent's span, or sent as a service
 * the caller's key does not open), or (rejecting none) the warning OTLP allows for GenAI events that name no span,
 * which nothing can join; either way, a warning for records whose service name was stored in its one form.
 */
function exportResponse(rejected: RejectedLogRecord[], result: LogsIngestResult): ExportLogsResponseJson {
  const reasons: string[] = [];
  if (rejected.length > 0) reasons.push(`${rejected.length} malformed; first: ${rejected[0].message}`);
  if (result.foreign > 0) reasons.push(`${result.foreign} GenAI event(s) name a span another service sent (another agent's trace): not joined, not kept`);
  if (result.outOfScope > 0) reasons.push(`${result.outOfScope} GenAI event(s) from a service other than this key's agent: not kept`);
  const count = rejected.length + result.foreign + result.outOfScope;
  const renamed = result.renamed > 0 ? [renamedWarning(result.renamed, 'GenAI event(s)')] : [];
  if (count > 0) return { partialSuccess: { rejectedLogRecords: count, errorMessage: [`${count} log record(s) rejected: ${reasons.join('; ')}`, ...renamed].join('; ') } };
  const warnings = [...(result.unjoinable > 0 ? [`${result.unjoinable} GenAI event(s) without a trace and span id: not joined to any span`] : []), ...renamed];
  if (warnings.length > 0) return { partialSuccess: { rejectedLogRecords: 0, errorMessage: warnings.join('; ') } };
  return {};
}

/** The protobuf answer: `ExportLogsServiceResponse` has the field numbers of the trace one (partial_success 1: count 1, message 2). */
function encodeResponse(response: ExportLogsResponseJson): Uint8Array {
  const partial = response.partialSuccess;
  return encodeExportTraceResponse(partial === undefined ? {} : { partialSuccess: { rejectedSpans: partial.rejectedLogRecords, errorMessage: partial.errorMessage } });
}

/**
 * `POST /logs`, an OTLP/HTTP logs receiver (OTLP/JSON or OTLP/protobuf, gzip or not) for instrumentations that send
 * GenAI content as log records (the contrib OpenAI instrumentation, OpenLIT): their `gen_ai.*` events are stored by
 * the span they belong to and joined to it, whichever arrives first; other records are counted and not kept.
 * Answers as `POST /traces` does: an `ExportLogsServiceResponse`, 503 + `Retry-After` when the store is short, and
 * `google.rpc.Status` protobuf bodies for errors of protobuf requests. Needs the signals store (there is nothing
 * to join records to without one).
 */
export function logsRoutes(config: HttpConfig, storeLog: StoreFaultLog): Hono {
  const routes = new Hono();

  routes.post('/logs', async (c) => {
    const protobuf = requireMediaType(c, [JSON_TYPE, PROTOBUF_TYPE]) === PROTOBUF_TYPE;
    if (config.signals === undefined) {
      throw new ApiError(404, 'not_found', 'POST /v1/logs joins GenAI log records to stored spans: this service runs without a store (configure one to receive logs)');
    }
    const bytes = await readBodyBytes(c, config.maxBodyBytes);
    const { request, rejected } = decodeLogsBody(bytes, protobuf);
    let result: LogsIngestResult;
    try {
      result = (await config.signals.ingestLogs(request, scopeOf(c))) as LogsIngestResult;
    } catch (err) {
      throw storeUnavailable(err, storeLog) ?? err;
    }
    storeLog.ok();
    const response = exportResponse(rejected, result);
    const headers: Record<string, string> = { 'content-type': protobuf ? PROTOBUF_TYPE : JSON_TYPE };
    const refused = rejected.length + result.foreign + result.outOfScope;
    if (refused > 0) headers['x-signals-rejected-log-records'] = String(refused);
    if (result.unjoinable > 0) headers['signals-unjoinable-genai-events'] = String(result.unjoinable);
    const body = protobuf ? encodeResponse(response) : new TextEncoder().encode(JSON.stringify(response));
    return c.body(body as Uint8Array<ArrayBuffer>, 200, headers);
  });

  return routes;
}
