/** Forwarding from POST /v1/traces: timeouts, broken upstreams, retryable statuses, loops, partial success. */
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, type HttpEnv } from '../../src/http/config.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { encodeExportTraceRequest } from '../../src/otlp/proto-encode.js';
import { decodeExportTraceResponse, encodeExportTraceResponse } from '../../src/otlp/proto-response.js';
import type { ExportTraceRequestJson } from '../../src/otlp/types.js';
import { createSignalsService } from '../../src/service/service.js';
import type { Store } from '../../src/store/types.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import { E19_GENAI_MESSAGES, otlpExport, TRACE_ID } from './fixtures.js';
import { startUpstream, type Upstream } from './traces-upstream.js';

const exportJson = () => otlpExport(E19_GENAI_MESSAGES) as unknown as ExportTraceRequestJson;

function post(server: NodeServer, body: unknown, protobuf = false): Promise<Response> {
  return fetch(`${server.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': protobuf ? 'application/x-protobuf' : 'application/json' },
    body: protobuf ? encodeExportTraceRequest(body as ExportTraceRequestJson) : JSON.stringify(body),
  });
}

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

describe('forwarding', () => {
  let upstream: Upstream;
  let service: NodeServer;
  beforeAll(async () => {
    upstream = await startUpstream();
    service = await startNodeServer(configFromEnv({ SIGNALS_FORWARD_URL: upstream.url, SIGNALS_FORWARD_TIMEOUT_MS: '400' }), 0, '127.0.0.1');
  });
  afterAll(async () => {
    await Promise.all([service.close(), upstream.close()]);
  });

  it('an upstream that never answers gives 504 after SIGNALS_FORWARD_TIMEOUT_MS, JSON and protobuf', async () => {
    upstream.mode = { kind: 'hang' };
    const start = Date.now();
    const res = await post(service, exportJson());
    expect(res.status).toBe(504);
    expect(await errorCode(res)).toBe('upstream_timeout');
    expect(Date.now() - start).toBeLessThan(5000);
    const proto = await post(service, exportJson(), true);
    expect(proto.status).toBe(504);
    expect(proto.headers.get('content-type')).toBe('application/x-protobuf');
    // google.rpc.Status code 4 = DEADLINE_EXCEEDED.
    expect([...new Uint8Array(await proto.arrayBuffer()).subarray(0, 2)]).toEqual([0x08, 4]);
  });

  it('an upstream that stalls after its headers gives 504, never 200 with a truncated body', async () => {
    upstream.mode = { kind: 'stall-after-headers' };
    const res = await post(service, exportJson());
    expect(res.status).toBe(504);
    expect(await errorCode(res)).toBe('upstream_timeout');
  });

  it('an upstream that breaks off mid-answer gives 502', async () => {
    upstream.mode = { kind: 'break-off' };
    const res = await post(service, exportJson());
    expect(res.status).toBe(502);
    expect(await errorCode(res)).toBe('upstream_unreachable');
  });

  it('retryable statuses come back with Retry-After so the exporter retries', async () => {
    for (const status of [429, 502, 503, 504]) {
      upstream.mode = { kind: 'answer', status, contentType: 'application/json', body: '{"code":14,"message":"unavailable"}', headers: { 'retry-after': '7' } };
      const protobuf = status % 2 === 0;
      const res = await post(service, exportJson(), protobuf);
      expect(res.status).toBe(status);
      expect(res.headers.get('retry-after')).toBe('7');
      const message = `The OTLP backend at SIGNALS_FORWARD_URL answered HTTP ${status} (its answer is not passed on)`;
      if (protobuf) expect(Buffer.from(await res.arrayBuffer()).toString('latin1')).toContain(message);
      else expect(await res.json()).toEqual({ error: { code: 'upstream_error', message } });
    }
  });

  it("a non-retryable upstream error keeps its status, never the backend's answer (it can quote the operator's key)", async () => {
    upstream.mode = { kind: 'answer', status: 401, contentType: 'application/json', body: '{"code":16,"message":"invalid api key sk-backend-secret-1234"}' };
    const res = await post(service, exportJson());
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'upstream_error', message: 'The OTLP backend at SIGNALS_FORWARD_URL answered HTTP 401 (its answer is not passed on)' } });
  });

  it('partial success adds the spans rejected here to those the upstream rejected, in both encodings', async () => {
    const withBadSpan = exportJson() as unknown as { resourceSpans: Array<{ scopeSpans: Array<{ spans: unknown[] }> }> };
    withBadSpan.resourceSpans[1].scopeSpans[0].spans.push({ traceId: 'nothex', spanId: '0102030405060708', events: 'abc' });
    upstream.mode = { kind: 'answer', status: 200, contentType: 'application/json', body: '{"partialSuccess":{"rejectedSpans":"2","errorMessage":"quota"}}' };
    const before = upstream.received.length;
    const res = await post(service, withBadSpan);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: {
        rejectedSpans: 3,
        errorMessage:
          '1 span(s) rejected; first: resourceSpans[1].scopeSpans[0].spans[1].traceId: expected a 32-digit hex id, got "nothex"; the OTLP backend at SIGNALS_FORWARD_URL rejected 2 span(s)',
      },
    });
    // The bad span is not forwarded; the four good ones are.
    const forwarded = JSON.parse(upstream.received[before].body.toString('utf8')) as ExportTraceRequestJson;
    expect(forwarded.resourceSpans.flatMap((r) => r.scopeSpans!.flatMap((s) => s.spans!)).length).toBe(4);

    // The backend's own message stays here (it can quote its account or the operator's key): its count comes back.
    upstream.mode = { kind: 'answer', status: 200, contentType: 'application/x-protobuf', body: encodeExportTraceResponse({ partialSuccess: { rejectedSpans: 1, errorMessage: 'quota of account acme-4411 exceeded' } }) };
    const proto = await post(service, exportJson(), true);
    expect(proto.status).toBe(200);
    expect(proto.headers.get('content-type')).toBe('application/x-protobuf');
    expect(decodeExportTraceResponse(new Uint8Array(await proto.arrayBuffer()))).toEqual({ partialSuccess: { rejectedSpans: 1, errorMessage: 'the OTLP backend at SIGNALS_FORWARD_URL rejected 1 span(s)' } });
  });

  it('?echo=1 returns the enriched export once the upstream accepted it', async () => {
    upstream.mode = { kind: 'answer', status: 200, contentType: 'application/json', body: '{}' };
    const res = await fetch(`${service.url}/v1/traces?echo=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(exportJson()) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ExportTraceRequestJson;
    expect(body.resourceSpans[0].scopeSpans![0].spans![0].attributes!.some((a) => a.key === 'signals.quality')).toBe(true);
  });

  it('an unreachable upstream is 502', async () => {
    const port = await freePort();
    const lonely = await startNodeServer(configFromEnv({ SIGNALS_FORWARD_URL: `http://127.0.0.1:${port}/v1/traces` }), 0, '127.0.0.1');
    try {
      const res = await post(lonely, exportJson());
      expect(res.status).toBe(502);
      expect(await errorCode(res)).toBe('upstream_unreachable');
    } finally {
      await lonely.close();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('forwarding and redirects', () => {
  it("an upstream redirecting elsewhere never gets the forwarded headers or traffic there: 502 saying to point SIGNALS_FORWARD_URL at the final URL", async () => {
    // The receiver an upstream (or someone on its path) redirects to: another origin, which must hear nothing.
    const elsewhere = await startUpstream();
    const upstream = await startUpstream();
    const service = await startNodeServer(configFromEnv({ SIGNALS_FORWARD_URL: upstream.url, SIGNALS_FORWARD_HEADERS: 'x-backend-key=secret-backend-key-1' }), 0, '127.0.0.1');
    try {
      for (const status of [301, 302, 303, 307, 308]) {
        upstream.mode = { kind: 'answer', status, contentType: 'text/plain', body: '', headers: { location: elsewhere.url.replace('127.0.0.1', 'localhost') } };
        const res = await post(service, exportJson());
        const text = await res.text();
        expect(res.status, `${status}: ${text}`).toBe(502);
        expect(text).toMatch(/redirect.*SIGNALS_FORWARD_URL/);
        expect(text).not.toContain('secret-backend-key-1');
      }
      expect(elsewhere.received).toEqual([]);
      expect(upstream.received).toHaveLength(5);
      expect(upstream.received[0].headers['x-backend-key']).toBe('secret-backend-key-1');
    } finally {
      await Promise.all([service.close(), upstream.close(), elsewhere.close()]);
    }
  });
});

describe('forwarding loops', () => {
  it('a forward URL pointing at the service itself is refused after one hop, not recursed', async () => {
    const port = await freePort();
    const env: HttpEnv = { SIGNALS_FORWARD_URL: `http://127.0.0.1:${port}/v1/traces` };
    const self = await startNodeServer(configFromEnv(env), port, '127.0.0.1');
    let requests = 0;
    self.server.on('request', () => requests++);
    try {
      const res = await post(self, exportJson());
      // The second hop refused it (508 forward_loop); the first says the backend answered so.
      expect(res.status).toBe(508);
      expect(await errorCode(res)).toBe('upstream_error');
      expect(requests).toBe(2);
    } finally {
      await self.close();
    }
  });

  it('a service without forwarding accepts an export another instance forwarded', async () => {
    const plain = await startNodeServer(configFromEnv({}), 0, '127.0.0.1');
    try {
      const res = await fetch(`${plain.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signals-forwarded': '1' },
        body: JSON.stringify(exportJson()),
      });
      expect(res.status).toBe(200);
    } finally {
      await plain.close();
    }
  });
});

describe('SIGNALS_FORWARD_* settings', () => {
  it('refuses a malformed header list or timeout at start-up', () => {
    expect(() => configFromEnv({ SIGNALS_FORWARD_HEADERS: 'api-key' })).toThrow('SIGNALS_FORWARD_HEADERS');
    expect(() => configFromEnv({ SIGNALS_FORWARD_TIMEOUT_MS: '0' })).toThrow('SIGNALS_FORWARD_TIMEOUT_MS must be a positive integer');
    expect(configFromEnv({}).forwardTimeoutMs).toBe(10_000);
  });
});

describe('forwarding with a key scoped to one agent', () => {
  const KEY = 'alpha-forward-key-0123456789';
  let upstream: Upstream;
  let service: NodeServer;
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    upstream = await startUpstream();
    dir = newStoreDir('signals-forward-scoped-');
    store = await openTestStore(dir);
    const env = {
      SIGNALS_FORWARD_URL: upstream.url,
      SIGNALS_API_TOKEN: 'operator-forward-token',
      SIGNALS_AGENT_KEYS: `agent-alpha=sha256:${createHash('sha256').update(KEY).digest('hex')}`,
    };
    service = await startNodeServer({ ...configFromEnv(env), signals: createSignalsService(store) }, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await Promise.all([service.close(), upstream.close()]);
    await store.close();
    removeStoreDir(dir);
  });

  it("forwards (and echoes) only its own service's spans: never another service's, nor one naming another agent", async () => {
    const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
    const now = `${BigInt(Date.now()) * 1_000_000n}`;
    const span = (spanId: string, name: string, attributes: unknown[] = []) => ({ traceId: TRACE_ID, spanId, name, startTimeUnixNano: now, endTimeUnixNano: now, attributes });
    const chat = [attr('gen_ai.operation.name', 'chat'), attr('gen_ai.input.messages', JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }]))];
    const namesBeta = [attr('gen_ai.operation.name', 'invoke_agent'), attr('gen_ai.agent.name', 'agent-beta')];
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [attr('service.name', 'agent-alpha')] },
          scopeSpans: [{ spans: [span('00000000000000a1', 'alpha-chat', chat), span('00000000000000a2', 'alpha-plain'), span('00000000000000a3', 'names-beta', namesBeta)] }],
        },
        { resource: { attributes: [attr('service.name', 'agent-beta')] }, scopeSpans: [{ spans: [span('00000000000000b1', 'beta-chat', chat), span('00000000000000b2', 'beta-plain')] }] },
      ],
    };
    const names = (request: ExportTraceRequestJson) => request.resourceSpans.flatMap((r) => (r.scopeSpans ?? []).flatMap((s) => (s.spans ?? []).map((x) => x.name)));
    for (const echo of [false, true]) {
      upstream.received.length = 0;
      const res = await fetch(`${service.url}/v1/traces${echo ? '?echo=1' : ''}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
      const answer = (await res.json()) as ExportTraceRequestJson & { partialSuccess?: { rejectedSpans?: number } };
      if (echo) expect(names(answer)).toEqual(['alpha-chat', 'alpha-plain']);
      else expect(answer.partialSuccess?.rejectedSpans).toBeGreaterThan(0);
      expect(upstream.received).toHaveLength(1);
      expect(names(JSON.parse(upstream.received[0].body.toString()) as ExportTraceRequestJson)).toEqual(['alpha-chat', 'alpha-plain']);
    }
  });
});
