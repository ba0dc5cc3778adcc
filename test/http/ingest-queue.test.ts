// Exports wait in memory for their turn of the store; past SIGNALS_INGEST_QUEUE_BYTES of bodies held, an export is
// answered 503 + Retry-After (JSON, or a google.rpc.Status for protobuf), which OTLP exporters retry, and nothing of it
// is stored; once the queue drains the same export is taken.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFromEnv, createApp } from '../../src/http/app.js';
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

/** An OTLP/JSON export of one chat span of agent `shop` (service.name) with a user message. */
function exportOf(traceId: string, user: string) {
  const attrs = [
    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
    { key: 'gen_ai.system', value: { stringValue: 'openai' } },
    { key: 'gen_ai.input.messages', value: { stringValue: JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: user }] }]) } },
    { key: 'gen_ai.output.messages', value: { stringValue: JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Sure.' }] }]) } },
  ];
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
        scopeSpans: [{ spans: [{ traceId, spanId: traceId.slice(0, 16), name: 'chat gpt-4o', kind: 3, startTimeUnixNano: '1764496800000000000', endTimeUnixNano: '1764496801000000000', attributes: attrs }] }],
      },
    ],
  };
}

describe('IngestQueue', () => {
  it('admits up to its bound, always one export, and frees what is let go (once)', () => {
    const queue = new IngestQueue(100);
    const big = queue.admit(500);
    expect(() => queue.admit(1)).toThrow(ApiError);
    big();
    big();
    expect(queue.held).toEqual({ exports: 0, bytes: 0 });
    const a = queue.admit(60);
    const b = queue.admit(40);
    const refused = (() => {
      try {
        queue.admit(1);
      } catch (e) {
        return e as ApiError;
      }
    })();
    expect(refused).toMatchObject({ status: 503, code: 'ingest_busy', retryAfterSeconds: 2 });
    expect(refused?.message).toContain('SIGNALS_INGEST_QUEUE_BYTES');
    a();
    b();
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
