// GET /v1/metrics: the receivers' counters, the ingest queue and the store's backlog in the Prometheus text format,
// the operator's alone (a key scoped to one agent gets 403: it shows every agent's backlog).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFromEnv, createApp } from '../../src/http/app.js';
import { createSignalsService } from '../../src/service/service.js';
import { openStore } from '../../src/store/libsql.js';
import type { Store } from '../../src/store/types.js';
import { heldJudge } from '../helpers/held-judge.js';
import { refundSignal } from '../service/fixtures.js';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-metrics-'));
  store = await openStore({ url: join(dir, 'signals.db') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An OTLP/JSON export of `n` chat spans of service `shop`, one trace each. */
function exportOf(prefix: string, n: number) {
  const spans = Array.from({ length: n }, (_, k) => {
    const traceId = `${prefix}${String(k).padStart(31, '0')}`.slice(0, 32);
    return {
      traceId,
      spanId: `${prefix}${String(k + 1).padStart(15, '0')}`,
      name: 'chat gpt-4o',
      kind: 3,
      startTimeUnixNano: '1764496800000000000',
      endTimeUnixNano: '1764496801000000000',
      attributes: [
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        { key: 'gen_ai.input.messages', value: { stringValue: JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: k === 0 ? 'a refund please' : 'hello' }] }]) } },
      ],
    };
  });
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] }, scopeSpans: [{ spans }] }] });
}

/** The samples of a Prometheus text exposition, checked line by line against the format; HELP and TYPE once a family. */
function samples(text: string): Map<string, number> {
  expect(text.endsWith('\n')).toBe(true);
  const out = new Map<string, number>();
  const typed = new Set<string>();
  for (const line of text.trimEnd().split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta !== null) {
      if (meta[1] === 'TYPE') {
        expect(['counter', 'gauge']).toContain(meta[3]);
        expect(typed.has(meta[2])).toBe(false);
        typed.add(meta[2]);
      }
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*",?)*\})? (-?[0-9.e+]+)$/.exec(line);
    expect(sample, line).not.toBeNull();
    expect(typed.has(sample![1]), `${sample![1]} has a TYPE line before its samples`).toBe(true);
    out.set(`${sample![1]}${sample![2] ?? ''}`, Number(sample![3]));
  }
  return out;
}

describe('GET /v1/metrics', () => {
  it('counts exports by outcome and spans by result, shows the queue and the backlog, in the Prometheus format', async () => {
    const held = heldJudge();
    const service = createSignalsService(store, { now: () => Date.parse('2025-11-30T10:05:00Z'), inline: held.judge });
    await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
    await service.api.createSignal({ definition: refundSignal('trace') as never, state: 'active' });
    const first = exportOf('a', 3);
    const app = createApp({ ...configFromEnv({ SIGNALS_INGEST_QUEUE_BYTES: String(first.length + 1) }), signals: service });
    const post = (path: string, body: string) => app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    const pending = post('/v1/traces', first);
    await held.started;
    // While the first export is held: one export of its size in the queue, the next one refused (retry).
    const during = samples(await (await app.request('/v1/metrics')).text());
    expect(during.get('signals_ingest_queue_exports')).toBe(1);
    expect(during.get('signals_ingest_queue_bytes')).toBe(first.length);
    expect(during.get('signals_ingest_queue_limit_bytes')).toBe(first.length + 1);
    expect((await post('/v1/traces', exportOf('b', 1))).status).toBe(503);
    held.release();
    expect((await pending).status).toBe(200);
    expect((await post('/v1/traces', '{"resourceSpans": 7}')).status).toBe(400);
    expect((await post('/api/public/otel/v1/traces', exportOf('c', 2))).status).toBe(200);
    expect((await post('/v1/logs', '{"resourceLogs": []}')).status).toBe(200);

    const response = await app.request('/v1/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const after = samples(await response.text());
    expect(after.get('signals_ingest_exports_total{receiver="traces",outcome="ok"}')).toBe(2);
    expect(after.get('signals_ingest_exports_total{receiver="traces",outcome="retry"}')).toBe(1);
    expect(after.get('signals_ingest_exports_total{receiver="traces",outcome="refused"}')).toBe(1);
    expect(after.get('signals_ingest_exports_total{receiver="traces",outcome="failed"}')).toBe(0);
    expect(after.get('signals_ingest_exports_total{receiver="logs",outcome="ok"}')).toBe(1);
    expect(after.get('signals_ingest_spans_total{result="received"}')).toBe(5);
    expect(after.get('signals_ingest_spans_total{result="stored"}')).toBe(5);
    expect(after.get('signals_span_labels_total')).toBe(5);
    expect(after.get('signals_ingest_queue_exports')).toBe(0);
    expect(after.get('signals_ingest_queue_bytes')).toBe(0);
    // The five traces wait to settle for the trace-scope signal; no LLM job, no notification.
    const backlog = await service.api.pending();
    expect(after.get('signals_settle_waiting{kind="trace"}')).toBe(backlog.waiting.traces);
    expect(backlog.waiting.traces).toBe(5);
    expect(after.get('signals_llm_jobs{status="queued"}')).toBe(0);
    expect(after.get('signals_notifications{status="pending"}')).toBe(0);
  });

  it('is the operator\'s: a key scoped to one agent gets 403, no token 401', async () => {
    const key = 'shop-key-0123456789';
    const digest = createHash('sha256').update(key).digest('hex');
    const service = createSignalsService(store, {});
    const app = createApp({ ...configFromEnv({ SIGNALS_API_TOKEN: 'operator-token', SIGNALS_AGENT_KEYS: `shop=sha256:${digest}` }), signals: service });
    expect((await app.request('/v1/metrics', { headers: { authorization: 'Bearer operator-token' } })).status).toBe(200);
    const scoped = await app.request('/v1/metrics', { headers: { authorization: `Bearer ${key}` } });
    expect(scoped.status).toBe(403);
    expect(((await scoped.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await app.request('/v1/metrics')).status).toBe(401);
  });

  it('counts the spans validation dropped as received and rejected', async () => {
    const service = createSignalsService(store, {});
    const app = createApp({ ...configFromEnv({}), signals: service });
    const body = JSON.parse(exportOf('e', 2)) as { resourceSpans: { scopeSpans: { spans: { spanId: string }[] }[] }[] };
    body.resourceSpans[0].scopeSpans[0].spans[1].spanId = '0000000000000000';
    for (const path of ['/v1/traces', '/api/public/otel/v1/traces?echo=1']) {
      const answer = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(answer.status).toBe(200);
    }
    // The second time the valid span is stored already: received and rejected again, not stored.
    const got = samples(await (await app.request('/v1/metrics')).text());
    expect(got.get('signals_ingest_spans_total{result="received"}')).toBe(4);
    expect(got.get('signals_ingest_spans_total{result="stored"}')).toBe(1);
    expect(got.get('signals_ingest_spans_total{result="rejected"}')).toBe(2);
  });

  it('answers the receivers\' part without a store', async () => {
    const app = createApp(configFromEnv({}));
    expect((await app.request('/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: exportOf('d', 1) })).status).toBe(200);
    const text = await (await app.request('/v1/metrics')).text();
    const got = samples(text);
    expect(got.get('signals_ingest_exports_total{receiver="traces",outcome="ok"}')).toBe(1);
    expect(text).not.toContain('signals_settle_waiting');
  });
});
