/** POST /v1/traces inside workerd: OTLP/protobuf and JSON exports, plain and gzip, through the Worker entry. */
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { decodeExportTraceRequest } from '../../src/otlp/proto-decode.js';
import { encodeExportTraceRequest } from '../../src/otlp/proto-encode.js';
import { decodeExportTraceResponse } from '../../src/otlp/proto-response.js';
import type { ExportTraceRequestJson } from '../../src/otlp/types.js';
import { E19_GENAI_MESSAGES, E19_SPAN_ATTRIBUTES, otlpExport } from '../http/fixtures.js';

const ORIGIN = 'http://agent-signals.test';
const request = () => otlpExport(E19_GENAI_MESSAGES) as unknown as ExportTraceRequestJson;

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function post(body: Uint8Array | string, type: string, query = '', encoding?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': type };
  if (encoding !== undefined) headers['content-encoding'] = encoding;
  return SELF.fetch(`${ORIGIN}/v1/traces${query}`, { method: 'POST', headers, body });
}

describe('POST /v1/traces in workerd', () => {
  for (const compressed of [false, true]) {
    it(`OTLP/protobuf${compressed ? ' (gzip)' : ''}: an empty ExportTraceServiceResponse, and the enriched export with ?echo=1`, async () => {
      const plain = encodeExportTraceRequest(request());
      const body = compressed ? await gzip(plain) : plain;
      const res = await post(body, 'application/x-protobuf', '', compressed ? 'gzip' : undefined);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/x-protobuf');
      expect(decodeExportTraceResponse(new Uint8Array(await res.arrayBuffer()))).toEqual({});

      const echo = await post(body, 'application/x-protobuf', '?echo=1', compressed ? 'gzip' : undefined);
      expect(echo.status).toBe(200);
      const enriched = decodeExportTraceRequest(new Uint8Array(await echo.arrayBuffer()));
      const root = enriched.resourceSpans[0].scopeSpans![0].spans![0];
      expect(root.attributes!.slice(2)).toEqual(E19_SPAN_ATTRIBUTES);
    });
  }

  it('OTLP/JSON: an empty ExportTraceServiceResponse, partial success for a bad span', async () => {
    const res = await post(JSON.stringify(request()), 'application/json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const bad = request() as unknown as { resourceSpans: Array<{ scopeSpans: Array<{ spans: unknown[] }> }> };
    bad.resourceSpans[0].scopeSpans[0].spans.push({ traceId: 'x' });
    const partial = await post(JSON.stringify(bad), 'application/json');
    expect(((await partial.json()) as { partialSuccess: { rejectedSpans: number } }).partialSuccess.rejectedSpans).toBe(1);
  });

  it('malformed protobuf is a 400 with a google.rpc.Status body', async () => {
    const res = await post(new Uint8Array([10, 5, 1]), 'application/x-protobuf');
    expect(res.status).toBe(400);
    expect([...new Uint8Array(await res.arrayBuffer()).subarray(0, 2)]).toEqual([0x08, 3]);
  });
});
