// Exports wait in memory for their turn of the store; past SIGNALS_INGEST_QUEUE_BYTES of bodies held, an export is
// answered 503 + Retry-After (JSON, or a google.rpc.Status for protobuf), which OTLP exporters retry, and nothing of it
// is stored; once the queue drains the same export is taken. With agent keys, each caller may hold a share of the
// queue only: one flooding the service is refused while another's export is still taken.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFromEnv, createApp } from '../../src/http/app.js';
import { startNodeServer } from '../../src/http/node.js';
import { IngestQueue } from '../../src/http/ingest-queue.js';
import { ApiError } from '../../src/http/errors.js';
import { createSignalsService } from '../../src/service/service.js';
import { openStore } from '../../src/store/libsql.js';
import type { Store } from '../../src/store/types.js';
import { heldJudge } from '../helpers/held-judge.js';
import { refundSignal } from '../service/fixtures.js';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-ingest-queue-'));
  store = await openStore({ url: join(dir, 'signals.db') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An OTLP/JSON export of one chat span of `agent` (service.name) with a user message. */
function exportOf(traceId: string, user: string, agent = 'shop') {
  const attrs = [
    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
    { key: 'gen_ai.system', value: { stringValue: 'openai' } },
    { key: 'gen_ai.input.messages', value: { stringValue: JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: user }] }]) } },
    { key: 'gen_ai.output.messages', value: { stringValue: JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Sure.' }] }]) } },
  ];
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: agent } }] },
        scopeSpans: [{ spans: [{ traceId, spanId: traceId.slice(0, 16), name: 'chat gpt-4o', kind: 3, startTimeUnixNano: '1764496800000000000', endTimeUnixNano: '1764496801000000000', attributes: attrs }] }],
      },
    ],
  };
}

describe('IngestQueue', () => {
  it('holds bodies up to its bound as they grow, always one, gives back what a settled body does not need, and frees a body once', () => {
    const queue = new IngestQueue(100);
    const big = queue.receive(undefined);
    big.hold(500);
    const other = queue.receive(undefined);
    expect(() => other.hold(1)).toThrow(ApiError);
    other.release();
    big.release();
    big.release();
    expect(queue.held).toEqual({ exports: 0, bytes: 0 });
    const a = queue.receive(undefined);
    a.hold(60);
    const b = queue.receive(undefined);
    b.hold(30);
    // A hold never shrinks while the body is read.
    b.hold(20);
    expect(queue.held).toEqual({ exports: 2, bytes: 90 });
    b.hold(40);
    const c = queue.receive(undefined);
    const refused = (() => {
      try {
        c.hold(1);
      } catch (e) {
        return e as ApiError;
      }
    })();
    expect(refused).toMatchObject({ status: 503, code: 'ingest_busy', retryAfterSeconds: 2 });
    expect(refused?.message).toContain('SIGNALS_INGEST_QUEUE_BYTES');
    // One caller with the whole queue (a share of 1): refused by the bound, not by a share.
    expect(queue.refusals).toEqual({ queue: 2, tenant_share: 0 });
    // A body read whole at less than it declared holds its size: room for c again.
    a.settle(50);
    c.hold(10);
    expect(queue.held).toEqual({ exports: 3, bytes: 100 });
    for (const body of [a, b, c]) body.release();
    expect(queue.held).toEqual({ exports: 0, bytes: 0 });
  });

  it("holds each caller to its share beside its only body, the operator one caller of its own, within the queue's bound", () => {
    const queue = new IngestQueue(100, 0.5);
    // Its only body: taken past its share of 50, as the process's only body is past the bound.
    const shop = queue.receive('shop');
    shop.hold(60);
    const again = queue.receive('shop');
    expect(() => again.hold(1)).toThrow(/This caller holds 1 other request\(s\).*SIGNALS_INGEST_QUEUE_TENANT_SHARE=0.5/);
    const bank = queue.receive('bank');
    bank.hold(25);
    const operator = queue.receive(undefined);
    operator.hold(10);
    // Within bank's share, past the queue's bound: the bound still refuses.
    const bank2 = queue.receive('bank');
    // Told nothing of the others' bodies (their count and size are their traffic).
    expect(() => bank2.hold(10)).toThrow('The service holds as many request bodies waiting to be stored or answered as its bound allows (SIGNALS_INGEST_QUEUE_BYTES=100)');
    expect(queue.refusals).toEqual({ queue: 1, tenant_share: 1 });
    // shop's first body answered: its second is its only one now.
    shop.release();
    again.hold(40);
    bank2.hold(10);
    expect(queue.held).toEqual({ exports: 4, bytes: 85 });
    for (const body of [again, bank, operator, bank2]) body.release();
    expect(queue.held).toEqual({ exports: 0, bytes: 0 });
  });
});

describe('POST /v1/traces past the queue bound', () => {
  it('answers 503 + Retry-After while the store is behind, stores nothing of it, and takes it once drained', async () => {
    const held = heldJudge();
    const service = createSignalsService(store, { now: () => Date.parse('2025-11-30T10:05:00Z'), inline: held.judge });
    await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
    const first = JSON.stringify(exportOf('a'.repeat(32), 'I want a refund'));
    const second = JSON.stringify(exportOf('b'.repeat(32), 'hello'));
    // Room for the first export alone: while it waits for the store, no other fits.
    const app = createApp({ ...configFromEnv({ SIGNALS_INGEST_QUEUE_BYTES: String(first.length + 1) }), signals: service });
    const post = (body: string | Uint8Array, type = 'application/json') => app.request('/v1/traces', { method: 'POST', headers: { 'content-type': type }, body });

    const pending = post(first);
    await held.started;
    const busy = await post(second);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('2');
    const body = (await busy.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('ingest_busy');
    // An OTLP/protobuf exporter gets a google.rpc.Status with the same status and Retry-After.
    const proto = await post(new Uint8Array([0x0a, 0x00]), 'application/x-protobuf');
    expect(proto.status).toBe(503);
    expect(proto.headers.get('content-type')).toBe('application/x-protobuf');
    expect(proto.headers.get('retry-after')).toBe('2');

    held.release();
    expect((await pending).status).toBe(200);
    // The refused export was not stored; sent again, it is.
    expect((await service.api.traces({ limit: 10 })).items.map((t) => t.id)).toEqual(['a'.repeat(32)]);
    expect((await post(second)).status).toBe(200);
    const labels = (await service.api.labels('refund-span', { limit: 10 })).items.map((l) => `${l.targetId}=${l.value}`).sort();
    expect(labels).toEqual(['aaaaaaaaaaaaaaaa=yes', 'bbbbbbbbbbbbbbbb=no']);
  });
});

/** What a server answered one upload. */
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A POST to `url` whose body is `first` so far: it stays open (chunked, or as long as a declared Content-Length) until `rest` ends it. */
function openUpload(url: string, path: string, type: string, first: Uint8Array | string, headers: Record<string, string> = {}) {
  const req: ClientRequest = httpRequest(new URL(path, url), { method: 'POST', headers: { 'content-type': type, ...headers } });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
  });
  // A dropped upload's answer fails; nobody waits for it then.
  answer.catch(() => undefined);
  if (first.length > 0) req.write(first);
  else req.flushHeaders();
  return { answer, rest: (last: string) => req.end(last), drop: () => req.destroy() };
}

describe('uploads held open mid-body (a Node server)', () => {
  it('counts bodies as they are read and by their Content-Length: a second slow upload is answered 503 before it ends, on every receiver and analyze route', async () => {
    const service = createSignalsService(store, { now: () => Date.parse('2025-11-30T10:05:00Z') });
    const server = await startNodeServer({ ...configFromEnv({ SIGNALS_INGEST_QUEUE_BYTES: '100000' }), signals: service }, 0, '127.0.0.1');
    const metric = async (name: string) => {
      const text = await (await fetch(`${server.url}/v1/metrics`)).text();
      return Number(new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\d+)$`, 'm').exec(text)?.[1]);
    };
    const opened: Array<ReturnType<typeof openUpload>> = [];
    try {
      // 60 kB of an export of ~90 kB, the rest not sent yet: the server holds what it read.
      const body = JSON.stringify(exportOf('c'.repeat(32), `refund ${'x'.repeat(90_000)}`));
      const first = openUpload(server.url, '/v1/traces', 'application/json', body.slice(0, 60_000));
      opened.push(first);
      // Wait for the server to have read it (each look is a request to the same server, so it has had its turns).
      let held = 0;
      for (let looks = 0; looks < 1000 && held < 60_000; looks++) held = await metric('signals_ingest_queue_bytes');
      expect(held, 'bytes of the open upload counted while it is read').toBeGreaterThanOrEqual(60_000);
      expect(await metric('signals_ingest_queue_exports')).toBe(1);

      const busy = (answer: Answer) => {
        expect(answer.status).toBe(503);
        expect(answer.headers['retry-after']).toBe('2');
      };
      // Another upload, open too: refused as its bytes pass the bound, before it ends, with the JSON error.
      for (const [path, type] of [['/v1/traces', 'application/json'], ['/v1/logs', 'application/json'], ['/v1/analyze', 'application/json'], ['/v1/analyze/batch', 'application/x-ndjson'], ['/api/public/otel/v1/traces', 'application/json']]) {
        const upload = openUpload(server.url, path, type, 'y'.repeat(60_000));
        opened.push(upload);
        const answer = await upload.answer;
        busy(answer);
        expect(JSON.parse(answer.body.toString()), path).toMatchObject({ error: { code: 'ingest_busy' } });
      }
      // One whose Content-Length alone passes the bound: refused before a byte of it is read; an OTLP/protobuf
      // exporter gets a google.rpc.Status.
      const declared = openUpload(server.url, '/v1/traces', 'application/x-protobuf', '', { 'content-length': '60000' });
      opened.push(declared);
      const proto = await declared.answer;
      busy(proto);
      expect(proto.headers['content-type']).toBe('application/x-protobuf');
      // A gzip body is held as it inflates: 60 kB inflated from a few hundred bytes.
      const zipped = gzipSync('z'.repeat(60_000));
      const inflating = openUpload(server.url, '/v1/traces', 'application/json', zipped, { 'content-encoding': 'gzip', 'content-length': String(zipped.length) });
      opened.push(inflating);
      busy(await inflating.answer);

      // The first upload ends: it is taken, and the queue is empty again.
      first.rest(body.slice(60_000));
      expect((await first.answer).status).toBe(200);
      expect(await metric('signals_ingest_queue_bytes')).toBe(0);
      expect(await metric('signals_ingest_queue_exports')).toBe(0);
      expect(await metric('signals_ingest_exports_total{receiver="traces",outcome="retry"}')).toBe(4);
      expect(await metric('signals_ingest_exports_total{receiver="logs",outcome="retry"}')).toBe(1);
      expect((await service.api.traces({ limit: 10 })).items.map((t) => t.id)).toEqual(['c'.repeat(32)]);
    } finally {
      for (const upload of opened) upload.drop();
      await server.close();
    }
  });
});

describe('a share of the queue per caller (a Node server with agent keys)', () => {
  const OPERATOR = 'operator-token';
  const KEYS = { shop: 'shop-key', bank: 'bank-key' };
  const digest = (key: string) => createHash('sha256').update(key).digest('hex');
  // 100 kB of queue, 50 kB for each caller (the default share, 0.5).
  const env = { SIGNALS_API_TOKEN: OPERATOR, SIGNALS_AGENT_KEYS: `shop=sha256:${digest(KEYS.shop)},bank=sha256:${digest(KEYS.bank)}`, SIGNALS_INGEST_QUEUE_BYTES: '100000' };
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  it('takes SIGNALS_INGEST_QUEUE_TENANT_SHARE in (0, 1], with agent keys only: without them the operator is the one caller, with the whole queue', async () => {
    for (const bad of ['0', '-0.5', '1.5', 'half']) {
      expect(() => configFromEnv({ SIGNALS_INGEST_QUEUE_TENANT_SHARE: bad })).toThrow('SIGNALS_INGEST_QUEUE_TENANT_SHARE must be a share in (0, 1]');
    }
    const tenantLimit = async (more: Record<string, string>) => {
      const app = createApp(configFromEnv({ SIGNALS_API_TOKEN: OPERATOR, SIGNALS_INGEST_QUEUE_BYTES: '1000', ...more }));
      const text = await (await app.request('/v1/metrics', { headers: auth(OPERATOR) })).text();
      return Number(/^signals_ingest_queue_tenant_limit_bytes (\d+)$/m.exec(text)?.[1]);
    };
    expect(await tenantLimit({})).toBe(1000);
    expect(await tenantLimit({ SIGNALS_AGENT_KEYS: env.SIGNALS_AGENT_KEYS })).toBe(500);
    expect(await tenantLimit({ SIGNALS_AGENT_KEYS: env.SIGNALS_AGENT_KEYS, SIGNALS_INGEST_QUEUE_TENANT_SHARE: '0.25' })).toBe(250);
  });

  it.each([
    ['a key scoped to agent shop', KEYS.shop],
    ["the operator's token (one caller of its own)", OPERATOR],
  ])("%s, holding its share in slow uploads, is answered 503 while agent bank's export is taken, and is taken again once they end", async (_, token) => {
    const service = createSignalsService(store, { now: () => Date.parse('2025-11-30T10:05:00Z') });
    const server = await startNodeServer({ ...configFromEnv(env), signals: service }, 0, '127.0.0.1');
    const metrics = async () => (await fetch(`${server.url}/v1/metrics`, { headers: auth(OPERATOR) })).text();
    const metric = async (name: string) => Number(new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\d+)$`, 'm').exec(await metrics())?.[1]);
    const post = (as: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth(as), ...headers }, body: JSON.stringify(body) });
    const opened: Array<ReturnType<typeof openUpload>> = [];
    try {
      // Two of the caller's exports, its whole share of 50 kB held as uploads stay open: one of 30 kB by its
      // Content-Length (a third of it sent), one of 20 kB by the bytes read (all sent, the request not ended).
      const sized = (traceId: string, bytes: number) => JSON.stringify(exportOf(traceId, `refund ${'x'.repeat(bytes - JSON.stringify(exportOf(traceId, 'refund ')).length)}`));
      const bodies = [sized('d'.repeat(32), 30_000), sized('e'.repeat(32), 20_000)];
      const sent = [10_000, 20_000];
      const uploads = [
        openUpload(server.url, '/v1/traces', 'application/json', bodies[0].slice(0, sent[0]), { ...auth(token), 'content-length': '30000' }),
        openUpload(server.url, '/v1/traces', 'application/json', bodies[1], auth(token)),
      ];
      opened.push(...uploads);
      let held = 0;
      for (let looks = 0; looks < 1000 && held < 50_000; looks++) held = await metric('signals_ingest_queue_bytes');
      expect(held, "the caller's share, read of its open uploads").toBe(50_000);

      // Another caller's export is taken meanwhile.
      expect((await post(KEYS.bank, exportOf('f'.repeat(32), 'hello', 'bank'))).status).toBe(200);
      // The caller's next is refused, whatever agent its body names or header it adds, and told nothing of bank.
      const busy = await post(token, exportOf('9'.repeat(32), 'hello', 'bank'), { 'x-agent': 'bank', 'x-tenant': 'bank' });
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('2');
      const error = ((await busy.json()) as { error: { code: string; message: string } }).error;
      expect(error.code).toBe('ingest_busy');
      expect(error.message).toContain('SIGNALS_INGEST_QUEUE_TENANT_SHARE');
      expect(error.message).not.toContain('bank');
      // The refusals, counted by reason for the operator alone: no series names an agent.
      expect((await fetch(`${server.url}/v1/metrics`, { headers: auth(KEYS.bank) })).status).toBe(403);
      expect(await metric('signals_ingest_queue_refusals_total{reason="tenant_share"}')).toBe(1);
      expect(await metric('signals_ingest_queue_refusals_total{reason="queue"}')).toBe(0);
      expect(await metrics()).not.toMatch(/shop|bank/);

      // Its uploads end: taken, the queue is empty, and its next export is taken.
      uploads.forEach((upload, i) => upload.rest(bodies[i].slice(sent[i])));
      expect((await Promise.all(uploads.map((u) => u.answer))).map((a) => a.status)).toEqual([200, 200]);
      expect(await metric('signals_ingest_queue_bytes')).toBe(0);
      expect((await post(token, exportOf('a'.repeat(32), 'hello'))).status).toBe(200);
      expect((await service.api.traces({ limit: 10 })).items.map((t) => t.id).sort()).toEqual(['a', 'd', 'e', 'f'].map((c) => c.repeat(32)));
    } finally {
      for (const upload of opened) upload.drop();
      await server.close();
    }
  });
});

describe('MCP bodies (a Node server): held in the same queue and capped by the same limit as the API\'s', () => {
  const TOKEN = 'mcp-token';
  const auth = { authorization: `Bearer ${TOKEN}` };
  const rpc = (id: number, method: string, params: Record<string, unknown> = {}) => JSON.stringify({ jsonrpc: '2.0', id, method, params });
  const mcpHeaders = { ...auth, accept: 'application/json, text/event-stream' };
  /** The answer, or 'open' when none came within `ms`: an upload the server never refuses stays open. */
  const within = <T>(answer: Promise<T>, ms = 10_000) =>
    Promise.race([answer, new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), ms).unref())]);

  it('answers 503 + Retry-After to an /mcp upload past the queue, before it ends; unauthenticated bodies hold nothing; then MCP works', async () => {
    const service = createSignalsService(store, { now: () => Date.parse('2025-11-30T10:05:00Z') });
    const server = await startNodeServer({ ...configFromEnv({ SIGNALS_API_TOKEN: TOKEN, SIGNALS_INGEST_QUEUE_BYTES: '100000' }), signals: service }, 0, '127.0.0.1');
    const metric = async (name: string) => {
      const text = await (await fetch(`${server.url}/v1/metrics`, { headers: auth })).text();
      return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
    };
    const opened: Array<ReturnType<typeof openUpload>> = [];
    try {
      // 60 kB of an export held open: the queue of 100 kB has 40 kB left.
      const body = JSON.stringify(exportOf('c'.repeat(32), `refund ${'x'.repeat(90_000)}`));
      const first = openUpload(server.url, '/v1/traces', 'application/json', body.slice(0, 60_000), auth);
      opened.push(first);
      let held = 0;
      for (let looks = 0; looks < 1000 && held < 60_000; looks++) held = await metric('signals_ingest_queue_bytes');
      expect(held).toBeGreaterThanOrEqual(60_000);

      // An MCP call whose body (a JSON-RPC request padded to 60 kB, still open) passes the bound as it is read.
      const padded = `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"pad":"${'p'.repeat(60_000)}`;
      const streaming = openUpload(server.url, '/mcp', 'application/json', padded, mcpHeaders);
      opened.push(streaming);
      // One whose Content-Length alone passes it: refused before a byte is read.
      const declared = openUpload(server.url, '/mcp', 'application/json', '', { ...mcpHeaders, 'content-length': '60000' });
      opened.push(declared);
      for (const upload of [streaming, declared]) {
        const answer = await within(upload.answer);
        expect(answer, 'answered before its upload ended').not.toBe('open');
        if (answer === 'open') continue;
        expect(answer.status).toBe(503);
        expect(answer.headers['retry-after']).toBe('2');
        expect(JSON.parse(answer.body.toString())).toMatchObject({ error: { code: 'ingest_busy' } });
      }
      // Without the token, a body of any declared size is refused by the token check and holds nothing.
      const stranger = openUpload(server.url, '/mcp', 'application/json', '', { accept: mcpHeaders.accept, 'content-length': '60000' });
      opened.push(stranger);
      const refused = await within(stranger.answer);
      expect(refused === 'open' ? 'open' : refused.status).toBe(401);
      expect(await metric('signals_ingest_queue_exports')).toBe(1);

      // The export ends and is taken; the queue is empty, and the SDK's client lists and calls the tools over /mcp.
      first.rest(body.slice(60_000));
      expect((await first.answer).status).toBe(200);
      expect(await metric('signals_ingest_queue_bytes')).toBe(0);
      const client = new Client({ name: 'queue-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: auth } }));
      try {
        expect((await client.listTools()).tools.length).toBeGreaterThan(3);
        const listed = await client.callTool({ name: 'list_signals', arguments: {} });
        expect(listed.isError ?? false).toBe(false);
      } finally {
        await client.close();
      }
      expect(await metric('signals_ingest_queue_bytes')).toBe(0);
    } finally {
      for (const upload of opened) upload.drop();
      await server.close();
    }
  });

  it('answers 413 to an /mcp body past SIGNALS_MAX_BODY_BYTES, and reads a gzip body as the API does', async () => {
    const service = createSignalsService(store);
    const server = await startNodeServer({ ...configFromEnv({ SIGNALS_API_TOKEN: TOKEN, SIGNALS_MAX_BODY_BYTES: '2000' }), signals: service }, 0, '127.0.0.1');
    try {
      const post = (body: Uint8Array | string, headers: Record<string, string> = {}) =>
        fetch(`${server.url}/mcp`, { method: 'POST', headers: { ...mcpHeaders, 'content-type': 'application/json', ...headers }, body });
      const initialize = rpc(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'queue-test', version: '1.0.0' } });
      // Well under the SDK's own 4 MiB, over the operator's limit.
      const large = await post(rpc(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x'.repeat(3_000), version: '1.0.0' } }));
      expect(large.status).toBe(413);
      expect(((await large.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
      // Inflated past the limit from a few hundred bytes: refused as it inflates.
      const bomb = await post(gzipSync(rpc(1, 'initialize', { pad: 'z'.repeat(100_000) })), { 'content-encoding': 'gzip' });
      expect(bomb.status).toBe(413);
      // A gzip body within the limit is inflated and answered by the MCP server.
      const zipped = await post(gzipSync(initialize), { 'content-encoding': 'gzip' });
      expect(zipped.status).toBe(200);
      expect(await zipped.text()).toContain('"serverInfo"');
      const plain = await post(initialize);
      expect(plain.status).toBe(200);
      expect(await plain.text()).toContain('"serverInfo"');
    } finally {
      await server.close();
    }
  });
});
