import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { encodeExportTraceRequest } from '../otlp/proto-encode.js';
import { decodeExportTraceResponse, encodeExportTraceResponse, encodeRpcStatus } from '../otlp/proto-response.js';
import type { ExportTraceRequestJson, ExportTraceResponseJson } from '../otlp/types.js';
import type { RejectedSpan } from '../otlp/validate.js';
import { readBodyBytes } from './body-bytes.js';
import type { HttpConfig } from './config.js';
import { ApiError, errorBody, storeUnavailable } from './errors.js';
import type { StoreFaultLog } from '../store/faults.js';
import { forwardExport, HOP_HEADER, type UpstreamAnswer } from './forward.js';
import { requireMediaType } from './request.js';
import { JSON_TYPE, PROTOBUF_TYPE } from './media-type.js';
import type { Intake } from './intake.js';
import type { UnreadableSpan } from '../formats/index.js';
import type { CapturedSpan } from '../formats/captured-span.js';
import { attributeMap } from '../formats/traces/any-value.js';
import { serviceNameOf } from '../formats/traces/read-spans.js';
import { enrichExport, readExport } from './traces.js';
import { scopeOf } from './agent-keys.js';
import { renamedWarning } from '../formats/agent-name.js';
import { storableAgent } from '../store/storable.js';
import type { IngestResult } from '../service/ingest.js';
import { decodeTraceBody, readTraceBody, type Encoding } from './trace-body.js';


// The request-path benchmark (bench/request-path.mjs) reads the decoder here.
export { decodeTraceBody } from './trace-body.js';

function encodeExport(request: ExportTraceRequestJson, encoding: Encoding): Uint8Array {
  return encoding === 'protobuf' ? encodeExportTraceRequest(request) : new TextEncoder().encode(JSON.stringify(request));
}

/** The upstream's `partialSuccess`, when its 2xx answer carries one in either encoding; an empty or odd body is `{}`. */
function upstreamPartial(answer: UpstreamAnswer): NonNullable<ExportTraceResponseJson['partialSuccess']> {
  try {
    if ((answer.contentType ?? '').toLowerCase().startsWith(PROTOBUF_TYPE)) return decodeExportTraceResponse(answer.body).partialSuccess ?? {};
    const parsed = JSON.parse(new TextDecoder().decode(answer.body)) as ExportTraceResponseJson;
    const partial = parsed?.partialSuccess;
    return typeof partial === 'object' && partial !== null ? { rejectedSpans: Number(partial.rejectedSpans ?? 0) || 0, errorMessage: partial.errorMessage } : {};
  } catch {
    return {};
  }
}

/** What the store did with an export's spans that the answer tells: spans it refused, spans it stored renamed. */
interface Stored {
  /** Refused to a key scoped to one agent: another agent's. */
  refused: number;
  /** Stored under their agent's (or service's) name in its one form, not as sent. */
  renamed: number;
}

/**
 * `{}`, or `partialSuccess` counting the spans rejected here (malformed, or refused to a key scoped to `agent`: another
 * agent's) plus those the upstream rejected, with the warning (OTLP allows one with nothing rejected) for spans stored
 * renamed. The upstream's own message is not passed on (it can quote the backend's account or the operator's key):
 * its count is.
 */
function exportResponse(rejected: RejectedSpan[], upstream: ExportTraceResponseJson['partialSuccess'] = {}, stored: Stored, agent?: string): ExportTraceResponseJson {
  const { refused, renamed } = stored;
  const count = rejected.length + refused + (upstream.rejectedSpans ?? 0);
  const reasons: string[] = [];
  if (rejected.length > 0) reasons.push(`${rejected.length} span(s) rejected; first: ${rejected[0].message}`);
  if (refused > 0) reasons.push(`${refused} span(s) not of agent "${agent}" (their agent, or their service.name, is another's): this key sends agent "${agent}" only`);
  if ((upstream.rejectedSpans ?? 0) > 0) reasons.push(`the OTLP backend at SIGNALS_FORWARD_URL rejected ${upstream.rejectedSpans} span(s)`);
  if (renamed > 0) reasons.push(renamedWarning(renamed, 'span(s)'));
  const message = reasons.length > 0 ? reasons.join('; ') : undefined;
  if (count === 0 && (message === undefined || message === '')) return {};
  return { partialSuccess: { rejectedSpans: count, ...(message ? { errorMessage: message } : {}) } };
}

/** What the answer says besides its body: spans rejected here, GenAI spans whose messages could not be read. */
interface Notes {
  rejected: number;
  unreadable: UnreadableSpan[];
}

function answer(c: Context, encoding: Encoding, body: Uint8Array | ExportTraceResponseJson, notes: Notes): Response {
  const bytes = body instanceof Uint8Array ? body : encoding === 'protobuf' ? encodeExportTraceResponse(body) : new TextEncoder().encode(JSON.stringify(body));
  const headers: Record<string, string> = { 'content-type': encoding === 'protobuf' ? PROTOBUF_TYPE : JSON_TYPE };
  if (notes.rejected > 0) headers['x-signals-rejected-spans'] = String(notes.rejected);
  // As /v1/analyze: GenAI spans that gave no message are said (count, then the first names), never dropped silently.
  if (notes.unreadable.length > 0) {
    headers['signals-unreadable-genai-spans'] = String(notes.unreadable.length);
    headers['signals-unreadable-genai-span-names'] = [...new Set(notes.unreadable.map((w) => encodeURIComponent(w.name)))].slice(0, 5).join(',');
  }
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, headers);
}

/**
 * What of an export a key scoped to `agent` passes on (forwarded with the operator's headers, or echoed): the resources
 * of its own service only, and in them no span the export gives another agent, as the store refuses them. Otherwise
 * its key would write other services' spans into the operator's backend.
 */
function ownSpansOnly(request: ExportTraceRequestJson, spans: CapturedSpan[], agent: string): ExportTraceRequestJson {
  const key = (traceId: unknown, spanId: unknown) => `${String(traceId).toLowerCase()}/${String(spanId).toLowerCase()}`;
  // Names compared as the store compares them (storableAgent), so what passes on is what the store keeps.
  const foreign = new Set(spans.filter((s) => storableAgent(s.agent) !== agent).map((s) => key(s.traceId, s.spanId)));
  return {
    ...request,
    resourceSpans: request.resourceSpans
      .filter((r) => storableAgent(serviceNameOf(attributeMap(r.resource?.attributes, {}))) === agent)
      .map((r) => ({ ...r, scopeSpans: (r.scopeSpans ?? []).map((ss) => ({ ...ss, spans: (ss.spans ?? []).filter((sp) => !foreign.has(key(sp.traceId, sp.spanId))) })) })),
  };
}

/**
 * A non-2xx upstream answer as ours: its status and `Retry-After`, so the exporter retries or drops as the backend
 * meant, with a body of our own in the request's encoding. The backend's body stays here: it can quote the
 * operator's `SIGNALS_FORWARD_HEADERS` (a rejected key) or the backend's account, and the caller may be any agent's key.
 */
function passBack(c: Context, upstream: UpstreamAnswer, encoding: Encoding): Response {
  const status = upstream.status as ContentfulStatusCode;
  const message = `The OTLP backend at SIGNALS_FORWARD_URL answered HTTP ${upstream.status} (its answer is not passed on)`;
  const headers: Record<string, string> = upstream.retryAfter === null ? {} : { 'retry-after': upstream.retryAfter };
  if (encoding === 'protobuf') return c.body(encodeRpcStatus(upstream.status, message) as Uint8Array<ArrayBuffer>, status, { ...headers, 'content-type': PROTOBUF_TYPE });
  return c.json(errorBody('upstream_error', message), status, headers);
}

/**
 * `POST /traces`, an OTLP/HTTP trace receiver: OTLP/JSON or OTLP/protobuf, gzip or not. Each export goes
 * decode → validate → read and enrich → answer or forward. Without `forwardUrl` the answer is an
 * `ExportTraceServiceResponse` (`?echo=1`: the enriched export itself); with it, the enriched export goes
 * upstream in the request's encoding and a 2xx upstream answer becomes ours, any other is passed back.
 * Errors of protobuf requests are `google.rpc.Status` protobuf bodies, as the OTLP/HTTP spec asks.
 */
export function tracesRoutes(config: HttpConfig, storeLog: StoreFaultLog, intake: Intake): Hono {
  const routes = new Hono();

  routes.post('/traces', async (c) => {
    const encoding: Encoding = requireMediaType(c, [JSON_TYPE, PROTOBUF_TYPE]) === PROTOBUF_TYPE ? 'protobuf' : 'json';
    if (config.forwardUrl !== undefined && c.req.header(HOP_HEADER) !== undefined) {
      throw new ApiError(508, 'forward_loop', `Export already forwarded by an agent-signals service (${HOP_HEADER}); not forwarding it again: check SIGNALS_FORWARD_URL`);
    }
    const bytes = await readBodyBytes(c, config.maxBodyBytes);
    // With a store configured, the export's spans are stored and labelled live (before enrichment adds attributes).
    // A store shortage answers 503 + Retry-After (exporters retry it, and drop a 500): nothing was acknowledged.
    // A key scoped to one agent stores that agent's spans only: the others are refused and counted (`refused`).
    const scope = scopeOf(c);
    const store = async (spans: CapturedSpan[], rejected: number): Promise<Stored> => {
      if (config.signals === undefined) return { refused: 0, renamed: 0 };
      let result: IngestResult;
      try {
        result = (await config.signals.ingest(spans, scope)) as IngestResult;
      } catch (err) {
        throw storeUnavailable(err, storeLog) ?? err;
      }
      storeLog.ok();
      intake.metrics.stored({ received: result.spans + rejected, stored: result.stored, rejected: rejected + (result.refused ?? 0), labels: result.labels });
      return { refused: result.refused ?? 0, renamed: result.renamed ?? 0 };
    };
    const echo = c.req.query('echo') === '1';
    if (!echo && config.forwardUrl === undefined) {
      // A plain answer needs only the spans as read and what to say of the others: the body is read off the event
      // loop where a reader runs (a worker thread on Node), so a multi-MB export does not hold up other requests.
      const read = config.traceReader !== undefined ? await config.traceReader.read(bytes, encoding) : readTraceBody(bytes, encoding);
      const stored = await store(read.spans, read.rejected.length);
      return answer(c, encoding, exportResponse(read.rejected, {}, stored, scope?.agent), { rejected: read.rejected.length + stored.refused, unreadable: read.warnings });
    }
    // Echoed or forwarded: the export itself travels on, enriched; a scoped key's, only what it may send.
    const decoded = decodeTraceBody(bytes, encoding);
    const spans = readExport(decoded.request).spans;
    const stored = await store(spans, decoded.rejected.length);
    const request = scope === undefined ? decoded.request : ownSpansOnly(decoded.request, spans, scope.agent);
    const rejected = decoded.rejected;
    const notes = { rejected: rejected.length + stored.refused, unreadable: enrichExport(request, config.maxMessages) };
    if (config.forwardUrl === undefined) return answer(c, encoding, encodeExport(request, encoding), notes);

    const target = { url: config.forwardUrl, headers: config.forwardHeaders, timeoutMs: config.forwardTimeoutMs };
    const upstream = await forwardExport(target, encodeExport(request, encoding), encoding === 'protobuf' ? PROTOBUF_TYPE : JSON_TYPE);
    if (upstream.status < 200 || upstream.status > 299) return passBack(c, upstream, encoding);
    return answer(c, encoding, echo ? encodeExport(request, encoding) : exportResponse(rejected, upstreamPartial(upstream), stored, scope?.agent), notes);
  });

  return routes;
}
