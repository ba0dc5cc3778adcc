/**
 * Endpoint tests shared by the workerd run (test/workers/endpoints.test.ts) and the Node run
 * (test/http/endpoints-node.test.ts). Runtime-neutral: no `node:` imports, fixtures inlined from the spec.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpEnv } from '../../src/http/config.js';
import {
  E19_GENAI_MESSAGES,
  E19_OPENAI_MESSAGES,
  E19_ROWS,
  E19_SPAN_ATTRIBUTES,
  OTHER_TRACE_ID,
  otlpExport,
  SPEC_13_5_GENAI_MESSAGES,
  SPEC_13_5_INPUT_LINE,
  SPEC_13_5_REPORT_LINE,
  TRACE_ID,
} from './fixtures.js';

/** `fetch` bound to one running instance of the service: takes a path such as `/v1/analyze`. */
export type FetchPath = (path: string, init?: RequestInit) => Promise<Response>;

/** One running instance of the service. */
export interface Target {
  fetch: FetchPath;
  close(): Promise<void>;
}

/** Starts the service with the given bindings, the way the runtime under test configures it. */
export type OpenTarget = (env: HttpEnv) => Promise<Target>;

const TOKEN = 'test-token-123';
const LIMITS: HttpEnv = { SIGNALS_MAX_BODY_BYTES: '1000', SIGNALS_MAX_MESSAGES: '5' };

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

async function gzip(text: string): Promise<Uint8Array> {
  const compressed = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(compressed).arrayBuffer());
}

/** Asserts the error envelope: exactly `{"error":{"code","message"}}`, JSON, no stack trace. */
async function expectError(res: Response, status: number, code: string): Promise<string> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error)).toEqual(['code', 'message']);
  expect(body.error.code).toBe(code);
  expect(body.error.message).not.toMatch(/\n\s+at /);
  return body.error.message;
}

/** The body as text; workerd warns when `text()` reads a type it does not consider text, such as NDJSON. */
async function bodyText(res: Response): Promise<string> {
  return new TextDecoder().decode(await res.arrayBuffer());
}

function ndjson(text: string): Array<Record<string, unknown>> {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

interface OtlpJsonSpan {
  traceId: string;
  spanId: string;
  name: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
  events?: Array<{ timeUnixNano: string; name: string; attributes: Array<{ key: string; value: Record<string, unknown> }> }>;
}

/** The spans of an OTLP/JSON export, in document order. */
export function spansOf(exportJson: unknown): OtlpJsonSpan[] {
  const request = exportJson as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpJsonSpan[] }> }> };
  return request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
}

/** Registers every endpoint test against the runtime `open` starts. */
export function defineEndpointCases(open: OpenTarget): void {
  let service: Target;
  let limited: Target;
  let secured: Target;

  beforeAll(async () => {
    [service, limited, secured] = await Promise.all([open({}), open(LIMITS), open({ SIGNALS_API_TOKEN: TOKEN })]);
  });
  afterAll(async () => {
    await Promise.all([service?.close(), limited?.close(), secured?.close()]);
  });

  describe('GET routes', () => {
    it('answers /healthz', async () => {
      const res = await service.fetch('/healthz');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    });

    it('lists the 25 signal types of the spec', async () => {
      const res = await service.fetch('/v1/signal-types');
      expect(res.status).toBe(200);
      const { signal_types: types } = (await res.json()) as { signal_types: Array<Record<string, string>> };
      expect(types).toHaveLength(25);
      expect(types.find((t) => t.type === 'environment.exhaustion.api_error')).toMatchObject({
        layer: 'environment',
        category: 'exhaustion',
      });
      expect(types.every((t) => typeof t.description === 'string' && t.description.length > 0)).toBe(true);
    });

    it('serves the playground page', async () => {
      const res = await service.fetch('/playground');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await bodyText(res);
      expect(html).toContain('<title>agent-signals playground</title>');
      expect(html).toContain('/v1/analyze?include=messages');
    });

    it('serves the dashboard page, its module script and its styles', async () => {
      const page = await service.fetch('/');
      expect(page.status).toBe(200);
      expect(await bodyText(page)).toContain('<title>agent-signals dashboard</title>');
      const js = await service.fetch('/dashboard/app.js');
      expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(await bodyText(js)).toContain('const FIXED_COLOURS =');
      expect((await service.fetch('/dashboard/app.css')).headers.get('content-type')).toMatch(/^text\/css/);
    });

    it('answers unknown routes with a JSON 404, a wrong method on a known one with 405 and Allow', async () => {
      await expectError(await service.fetch('/nope'), 404, 'not_found');
      const wrong = await service.fetch('/v1/analyze');
      expect(wrong.headers.get('allow')).toBe('POST, OPTIONS');
      await expectError(wrong, 405, 'method_not_allowed');
    });

    it('answers OPTIONS on /v1/* with Allow, and sends nosniff and a CSP on the playground page', async () => {
      const options = await service.fetch('/v1/analyze/batch', { method: 'OPTIONS' });
      expect(options.status).toBe(204);
      expect(options.headers.get('allow')).toBe('POST, OPTIONS');
      const page = await service.fetch('/playground');
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'.*|.*frame-ancestors 'none'/);
    });
  });

  describe('POST /v1/analyze', () => {
    it('returns the spec §13.5 report byte for byte', async () => {
      const res = await service.fetch('/v1/analyze', json(SPEC_13_5_INPUT_LINE));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await bodyText(res)).toBe(SPEC_13_5_REPORT_LINE);
    });

    it('maps OpenAI chat messages as in E19 and reports its api_error', async () => {
      const res = await service.fetch('/v1/analyze?include=messages', json({ id: 'e19', messages: E19_OPENAI_MESSAGES }));
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        id: string;
        report: { overall_quality: string; environment_signals: { exhaustion: { signals: Array<Record<string, unknown>> } } };
        messages: unknown;
      };
      expect(body.id).toBe('e19');
      expect(body.report.overall_quality).toBe('neutral');
      expect(body.report.environment_signals.exhaustion.signals).toEqual([
        expect.objectContaining({
          signal_type: 'environment.exhaustion.api_error',
          message_index: 2,
          metadata: { exhaustion_type: 'api_error', matched: '503 service unavailable' },
        }),
      ]);
      expect(body.messages).toEqual(E19_ROWS);
    });

    it('echoes a null id for a bare message array', async () => {
      const res = await service.fetch('/v1/analyze', json(E19_OPENAI_MESSAGES));
      expect(res.status).toBe(200);
      expect(((await res.json()) as { id: unknown }).id).toBeNull();
    });

    it('accepts a gzip-encoded body', async () => {
      const res = await service.fetch('/v1/analyze', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: await gzip(SPEC_13_5_INPUT_LINE),
      });
      expect(res.status).toBe(200);
      expect(await bodyText(res)).toBe(SPEC_13_5_REPORT_LINE);
    });
  });

  describe('errors', () => {
    it('415 on a wrong content type', async () => {
      const init = { method: 'POST', headers: { 'content-type': 'text/plain' }, body: SPEC_13_5_INPUT_LINE };
      expect(await expectError(await service.fetch('/v1/analyze', init), 415, 'unsupported_media_type')).toContain('application/json');
      await expectError(await service.fetch('/v1/analyze/batch', init), 415, 'unsupported_media_type');
      await expectError(await service.fetch('/v1/traces', init), 415, 'unsupported_media_type');
    });

    it('400 with a protobuf google.rpc.Status on malformed OTLP/protobuf', async () => {
      // Field 1 (resource_spans) claims 5 bytes, 1 follows.
      const init = { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array([10, 5, 1]) };
      const res = await service.fetch('/v1/traces', init);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/x-protobuf');
      const status = new Uint8Array(await res.arrayBuffer());
      // code = 3 (INVALID_ARGUMENT), then the message naming the malformed field.
      expect([...status.subarray(0, 2)]).toEqual([0x08, 3]);
      expect(new TextDecoder().decode(status.subarray(4))).toMatch(/^Malformed OTLP\/protobuf at /);
    });

    it('415 on an unsupported content encoding', async () => {
      const init = { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'br' }, body: '{}' };
      await expectError(await service.fetch('/v1/analyze', init), 415, 'unsupported_media_type');
    });

    it('400 on malformed JSON', async () => {
      await expectError(await service.fetch('/v1/analyze', json('{"messages": [')), 400, 'malformed_json');
      await expectError(await service.fetch('/v1/analyze', json('')), 400, 'malformed_json');
      await expectError(await service.fetch('/v1/traces', json('{"resourceSpans": [')), 400, 'malformed_json');
      await expectError(await service.fetch('/v1/analyze/batch', json('[{"messages": []},')), 400, 'malformed_json');
    });

    it('400 on a body that is not the gzip it claims to be', async () => {
      const init = { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: SPEC_13_5_INPUT_LINE };
      await expectError(await service.fetch('/v1/analyze', init), 400, 'bad_request');
    });

    it('400 on an unknown format', async () => {
      await expectError(await service.fetch('/v1/analyze', json({ hello: 'world' })), 400, 'unknown_format');
      await expectError(await service.fetch('/v1/analyze', json(42)), 400, 'unknown_format');
      const message = await expectError(await service.fetch('/v1/analyze?format=xml', json(SPEC_13_5_INPUT_LINE)), 400, 'unknown_format');
      expect(message).toContain('sharegpt');
    });

    it('400 on a record that does not fit its format', async () => {
      const bad = { id: 'x', messages: [{ from: 'human', value: 42 }] };
      const message = await expectError(await service.fetch('/v1/analyze', json(bad)), 400, 'invalid_conversation');
      expect(message).toContain('messages[0]');
      await expectError(await service.fetch('/v1/traces', json({ hello: 'world' })), 400, 'invalid_otlp');
    });

    it('400 when /v1/analyze gets several conversations', async () => {
      const twoTraces = otlpExport(E19_GENAI_MESSAGES);
      const spans = spansOf(twoTraces);
      // Give the unrelated trace a conversation of its own.
      spans[3].attributes.push({ key: 'gen_ai.input.messages', value: { stringValue: JSON.stringify(E19_GENAI_MESSAGES) } });
      const message = await expectError(await service.fetch('/v1/analyze', json(twoTraces)), 400, 'bad_request');
      expect(message).toContain('/v1/analyze/batch');
    });

    it('413 above the body limit, before and after gzip', async () => {
      const big = JSON.stringify({ id: 'big', messages: [{ from: 'human', value: 'x'.repeat(2000) }] });
      await expectError(await limited.fetch('/v1/analyze', json(big)), 413, 'payload_too_large');
      await expectError(await limited.fetch('/v1/analyze/batch', json(`[${big}]`)), 413, 'payload_too_large');
      await expectError(await limited.fetch('/v1/traces', json(big)), 413, 'payload_too_large');
      const inflated = {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: await gzip(big),
      };
      await expectError(await limited.fetch('/v1/analyze', inflated), 413, 'payload_too_large');
    });

    it('413 above the per-conversation message cap with max_messages=all; 400 on a bad max_messages', async () => {
      const rows = Array.from({ length: 6 }, (_, i) => ({ from: i % 2 ? 'gpt' : 'human', value: `m${i}` }));
      const message = await expectError(await limited.fetch('/v1/analyze?max_messages=all', json({ messages: rows })), 413, 'too_many_messages');
      expect(message).toContain('at most 5');
      expect((await limited.fetch('/v1/analyze?max_messages=all', json({ messages: rows.slice(0, 5) }))).status).toBe(200);
      // Without the parameter the last 5 rows are analyzed, as `--max-messages 5` would.
      expect((await limited.fetch('/v1/analyze', json({ messages: rows }))).status).toBe(200);
      for (const bad of ['0', '6', '-5', 'x', '2.5']) {
        expect(await expectError(await limited.fetch(`/v1/analyze?max_messages=${bad}`, json({ messages: rows })), 400, 'bad_request')).toContain('max_messages');
      }
    });

    it('analyzes SIGNALS_MAX_MESSAGES rows by default, not the core default of 100: a long conversation that starts "I give up" is severe', async () => {
      const rows = [
        { from: 'human', value: 'I give up' },
        ...Array.from({ length: 149 }, (_, i) => ({ from: i % 2 ? 'human' : 'gpt', value: `step ${i} done` })),
      ];
      const quality = async (query: string) => {
        const res = await service.fetch(`/v1/analyze${query}`, json({ messages: rows }));
        return ((await res.json()) as { report: { overall_quality: string } }).report.overall_quality;
      };
      // Expected buckets from the CLI: `signals analyze --max-messages all` says severe, the default window of 100 neutral.
      expect(await quality('')).toBe('severe');
      expect(await quality('?max_messages=all')).toBe('severe');
      expect(await quality('?max_messages=100')).toBe('neutral');
    });

    it('401 without the bearer token, 200 with it', async () => {
      const init = json(SPEC_13_5_INPUT_LINE);
      expect((await secured.fetch('/v1/analyze', init)).headers.get('www-authenticate')).toMatch(/^Bearer/);
      await expectError(await secured.fetch('/v1/analyze', init), 401, 'unauthorized');
      await expectError(await secured.fetch('/v1/signal-types'), 401, 'unauthorized');
      const wrong = { ...init, headers: { 'content-type': 'application/json', authorization: 'Bearer nope' } };
      await expectError(await secured.fetch('/v1/analyze', wrong), 401, 'unauthorized');
      const right = { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` } };
      const res = await secured.fetch('/v1/analyze', right);
      expect(res.status).toBe(200);
      expect(await bodyText(res)).toBe(SPEC_13_5_REPORT_LINE);
    });

    it('keeps / and /healthz open when a token is set', async () => {
      expect((await secured.fetch('/healthz')).status).toBe(200);
      expect((await secured.fetch('/')).status).toBe(200);
      expect((await secured.fetch('/playground')).status).toBe(200);
    });
  });

  describe('POST /v1/analyze/batch', () => {
    it('streams one NDJSON line per JSONL input, errors in place', async () => {
      const lines = [
        SPEC_13_5_INPUT_LINE,
        '{"id": "broken", "messages": [',
        '',
        JSON.stringify({ id: 'mystery', payload: 1 }),
        JSON.stringify({ id: 'e19', messages: E19_OPENAI_MESSAGES }),
        JSON.stringify({ id: 'bad-row', messages: [{ from: 'human', value: null }] }),
        JSON.stringify({ resourceSpans: [] }),
      ];
      const res = await service.fetch('/v1/analyze/batch', {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: lines.join('\n'),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      const text = await bodyText(res);
      expect(text.split('\n')[0]).toBe(SPEC_13_5_REPORT_LINE);
      const out = ndjson(text);
      expect(out.map((line) => line.id)).toEqual(['demo-1', null, 'mystery', 'e19', 'bad-row', null]);
      expect(out.map((line) => (line.error as { code?: string } | undefined)?.code ?? 'report')).toEqual([
        'report',
        'malformed_json',
        'unknown_format',
        'report',
        'invalid_conversation',
        'invalid_conversation',
      ]);
      expect((out[1].error as { message: string }).message).toMatch(/^line 2: invalid JSON/);
    });

    it('accepts a JSON array; analyzes the last SIGNALS_MAX_MESSAGES rows, and refuses longer ones with max_messages=all', async () => {
      const long = { id: 'long', messages: Array.from({ length: 6 }, (_, i) => ({ from: 'human', value: `q${i}` })) };
      const small = { id: 'small', messages: [{ from: 'human', value: 'Thanks, that helps a lot' }] };
      const res = await limited.fetch('/v1/analyze/batch', json([small, long, small]));
      expect(res.status).toBe(200);
      const out = ndjson(await bodyText(res));
      expect(out.map((line) => line.id)).toEqual(['small', 'long', 'small']);
      expect((out[0].report as { overall_quality: string }).overall_quality).toBe('good');
      // 6 rows under a cap of 5: the last 5 are analyzed, so the turn count is that of 5 user rows.
      expect((out[1].report as { summary: string }).summary).toMatch(/Turns: 5 /);
      const all = ndjson(await bodyText(await limited.fetch('/v1/analyze/batch?max_messages=all', json([small, long]))));
      expect((all[1].error as { code: string; message: string })).toEqual({
        code: 'too_many_messages',
        message: 'item 2: conversation has 6 messages; at most 5 are accepted (SIGNALS_MAX_MESSAGES)',
      });
    });

    it('rejects a JSON body that is not an array', async () => {
      await expectError(await service.fetch('/v1/analyze/batch', json(SPEC_13_5_INPUT_LINE)), 400, 'bad_request');
    });
  });

  describe('POST /v1/traces', () => {
    async function enrich(exportJson: unknown, target = service): Promise<unknown> {
      const res = await target.fetch('/v1/traces?echo=1', json(exportJson));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      return JSON.parse(await bodyText(res));
    }

    it('adds the E19 attributes and event to the root span and keeps everything else', async () => {
      const original = otlpExport(E19_GENAI_MESSAGES);
      const enriched = await enrich(original);
      const before = spansOf(original);
      const after = spansOf(enriched);
      expect(after.map((s) => [s.traceId, s.spanId])).toEqual(before.map((s) => [s.traceId, s.spanId]));
      const root = after[0];
      // §14.4: exhaustion alone does not flag, so the name is unchanged.
      expect(root.name).toBe('POST /chat');
      expect(root.attributes.slice(0, 2)).toEqual(before[0].attributes);
      expect(root.attributes.slice(2)).toEqual(E19_SPAN_ATTRIBUTES);
      const signalEvents = (root.events ?? []).filter((e) => e.name.startsWith('signal.'));
      expect(signalEvents.map((e) => e.name)).toEqual(['signal.environment.exhaustion.api_error']);
      expect(signalEvents[0].timeUnixNano).toBe('1700000002000000000');
      expect(signalEvents[0].attributes.slice(0, 2)).toEqual([
        { key: 'signal.type', value: { stringValue: 'environment.exhaustion.api_error' } },
        { key: 'signal.message_index', value: { intValue: '2' } },
      ]);
      const metadata = signalEvents[0].attributes.find((a) => a.key === 'signal.metadata');
      expect(metadata?.value).toEqual({ stringValue: '{"exhaustion_type":"api_error","matched":"503 service unavailable"}' });
      // Every other span is exactly as sent.
      expect(after.slice(1)).toEqual(before.slice(1));
      const { resourceSpans: _enrichedSpans, ...enrichedRest } = enriched as Record<string, unknown>;
      const { resourceSpans: _originalSpans, ...originalRest } = original;
      expect(enrichedRest).toEqual(originalRest);
    });

    it('flags a concerning conversation (§13.5: severe, score 0.0) on the span name', async () => {
      const after = spansOf(await enrich(otlpExport(SPEC_13_5_GENAI_MESSAGES)));
      expect(after[0].name).toBe('POST /chat \u{1F6A9}');
      expect(after[0].attributes.slice(2, 4)).toEqual([
        { key: 'signals.quality', value: { stringValue: 'severe' } },
        { key: 'signals.quality_score', value: { doubleValue: 0 } },
      ]);
      expect((after[0].events ?? []).filter((e) => e.name.startsWith('signal.')).map((e) => e.name)).toEqual([
        'signal.interaction.misalignment.correction',
        'signal.interaction.disengagement.negative_stance',
        'signal.interaction.disengagement.escalation',
        'signal.environment.exhaustion.api_error',
      ]);
    });

    it('uses the last LLM span when the root span is not in the export', async () => {
      const partial = otlpExport(E19_GENAI_MESSAGES) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: unknown[] }> }> };
      partial.resourceSpans[0].scopeSpans[0].spans.shift();
      const llm = spansOf(await enrich(partial))[0];
      expect(llm.name).toBe('chat gpt-4o');
      expect(llm.attributes.slice(4)).toEqual(E19_SPAN_ATTRIBUTES);
      expect(llm.events?.[0]).toEqual({ timeUnixNano: '1700000001000000000', name: 'gen_ai.first_token', attributes: [] });
    });

    it('is idempotent across two hops', async () => {
      const once = await enrich(otlpExport(SPEC_13_5_GENAI_MESSAGES));
      expect(await enrich(once)).toEqual(once);
    });

    it('keeps int64 values written as bare JSON numbers exact', async () => {
      const text = JSON.stringify(otlpExport(E19_GENAI_MESSAGES))
        .replace('"startTimeUnixNano":"1700000000000000000"', '"startTimeUnixNano":1700000000000000001')
        .replace('{"intValue":"321"}', '{"intValue":9007199254740993}')
        .replace('{"doubleValue":50.5}', '{"doubleValue":0.12345678901234567}');
      const res = await service.fetch('/v1/traces?echo=1', json(text));
      expect(res.status).toBe(200);
      const out = await bodyText(res);
      expect(out).toContain('"startTimeUnixNano":"1700000000000000001"');
      expect(out).toContain('{"intValue":"9007199254740993"}');
      // A long fraction is a double, not an int64: it stays a number.
      expect(spansOf(JSON.parse(out))[3].attributes[0].value).toEqual({ doubleValue: 0.12345678901234567 });
    });

    it('drops span entries that are not objects and reports them as rejected', async () => {
      const odd = otlpExport(E19_GENAI_MESSAGES) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: unknown[] }> }> };
      odd.resourceSpans[0].scopeSpans[0].spans.unshift(null);
      const res = await service.fetch('/v1/traces?echo=1', json(odd));
      expect(res.status).toBe(200);
      expect(res.headers.get('x-signals-rejected-spans')).toBe('1');
      const spans = (await res.json()) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpJsonSpan[] }> }> };
      expect(spans.resourceSpans[0].scopeSpans[0].spans[0].attributes.slice(2)).toEqual(E19_SPAN_ATTRIBUTES);
      const plain = await service.fetch('/v1/traces', json(odd));
      expect(await plain.json()).toEqual({
        partialSuccess: {
          rejectedSpans: 1,
          errorMessage: '1 span(s) rejected; first: resourceSpans[0].scopeSpans[0].spans[0]: expected an object, got null',
        },
      });
    });

    it('passes an export without GenAI spans through unchanged', async () => {
      const original = otlpExport(E19_GENAI_MESSAGES) as { resourceSpans: unknown[] };
      original.resourceSpans.shift();
      expect(spansOf(original)[0].traceId).toBe(OTHER_TRACE_ID);
      expect(await enrich(original)).toEqual(original);
    });

    it('answers an ExportTraceServiceResponse unless ?echo=1', async () => {
      const res = await service.fetch('/v1/traces', json(otlpExport(E19_GENAI_MESSAGES)));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({});
    });

    it('accepts gzip, as the Collector otlphttp exporter sends by default', async () => {
      const res = await service.fetch('/v1/traces?echo=1', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: await gzip(JSON.stringify(otlpExport(E19_GENAI_MESSAGES))),
      });
      expect(res.status).toBe(200);
      const root = spansOf(await res.json())[0];
      expect(root.traceId).toBe(TRACE_ID);
      expect(root.attributes.slice(2)).toEqual(E19_SPAN_ATTRIBUTES);
    });
  });
}
