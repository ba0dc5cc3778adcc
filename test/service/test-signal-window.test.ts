// Testing a signal before activating it: the most recent N targets of the chosen window, newest first, nothing
// stored; an empty window says whose traffic and which window, and how to send some.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { openStore } from '../../src/store/libsql.js';
import type { Store } from '../../src/store/types.js';
import { otlpTurn } from './otlp-fixture.js';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const HOUR = 3_600_000;
// Oldest first: 30 h, 5 h and 10 minutes before now.
const TRACES = ['1af7651916cd43dd8448eb211c80319c', '2af7651916cd43dd8448eb211c80319c', '3af7651916cd43dd8448eb211c80319c'];
const AGES = [30 * HOUR, 5 * HOUR, 10 * 60_000];
const OTHER_MODEL_TRACE = '4af7651916cd43dd8448eb211c80319c';
const LONE_TRACE = '5af7651916cd43dd8448eb211c80319c';

describe('testSignal on stored traffic', () => {
  let dir = '';
  let store: Store;
  let service: SignalsService;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'signals-test-window-'));
    store = await openStore({ url: join(dir, 's.db') });
    service = createSignalsService(store, { now: () => NOW });
    for (const [i, id] of TRACES.entries()) await service.ingest(otlpTurn(id, NOW - AGES[i], i === 1 ? 'where is my parcel?' : 'I want a refund'));
    // An older trace answered by another model, for the filter.
    await service.ingest(JSON.parse(JSON.stringify(otlpTurn(OTHER_MODEL_TRACE, NOW - 40 * HOUR, 'refund me')).replaceAll('gpt-test', 'gpt-other')));
    // The oldest: a trace without a session id (no gen_ai.conversation.id).
    const lone = otlpTurn(LONE_TRACE, NOW - 45 * HOUR, 'where is my parcel?');
    for (const rs of lone.resourceSpans) for (const ss of rs.scopeSpans) for (const sp of ss.spans) sp.attributes = sp.attributes.filter((a: { key: string }) => a.key !== 'gen_ai.conversation.id');
    await service.ingest(lone);
    await service.api.createSignal({
      definition: {
        name: 'refund', agent: 'shop', scope: 'trace', type: 'binary', prompt: 'Asks for a refund?', judge: 'rules', sample_rate: 1,
        rules: { when: [{ label: 'yes', if: { phrases: ['refund'] } }], default: 'no' },
      },
    });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('classifies the most recent N targets of the window, newest first, and stores nothing', async () => {
    const two = await service.api.testSignal({ ref: 'refund', sample: 2 });
    expect(two.rows.map((r) => [r.id, r.label])).toEqual([[TRACES[2], 'yes'], [TRACES[1], 'no']]);
    expect(two.distribution).toEqual({ yes: 1, no: 1 });
    const day = await service.api.testSignal({ ref: 'refund', sample: 100, since: '24h' });
    expect(day.rows.map((r) => r.id)).toEqual([TRACES[2], TRACES[1]]);
    expect((await service.api.labels('refund')).items).toEqual([]);
  });

  it("judges only targets the signal's filter keeps, counting the more recent ones it leaves out", async () => {
    const definition = {
      name: 'refund-other', agent: 'shop', scope: 'trace' as const, type: 'binary' as const, prompt: 'Asks for a refund?', judge: 'rules' as const, sample_rate: 1,
      rules: { when: [{ label: 'yes', if: { phrases: ['refund'] } }], default: 'no' }, filter: { model: 'gpt-other*' },
    };
    const r = await service.api.testSignal({ definition, sample: 5 });
    expect(r.rows.map((row) => [row.id, row.label])).toEqual([[OTHER_MODEL_TRACE, 'yes']]);
    expect(r.filtered).toBe(4);
    await expect(service.api.testSignal({ definition, sample: 5, since: '24h' })).rejects.toMatchObject({
      code: 'not_found',
      message: 'None of the 2 most recent traces of the window matches the filter of "refund-other" (model): widen the filter or the window',
    });
  });

  it('a session-scope signal tests traffic without a session id per trace, as it labels it live', async () => {
    const definition = {
      name: 'refund-session', agent: 'shop', scope: 'session' as const, type: 'binary' as const, prompt: 'Asks for a refund?', judge: 'rules' as const, sample_rate: 1,
      rules: { when: [{ label: 'yes', if: { phrases: ['refund'] } }], default: 'no' },
    };
    const r = await service.api.testSignal({ definition, sample: 5 });
    expect(r.rows.map((row) => [row.kind, row.id, row.label])).toEqual([['session', 'sess-1', 'yes'], ['trace', LONE_TRACE, 'no']]);
    expect((await service.api.testSignal({ definition, sample: 1 })).rows.map((row) => row.id)).toEqual(['sess-1']);
  });

  it('an empty window names the agent and the window and says how to send traffic', async () => {
    await expect(service.api.testSignal({ ref: 'refund', sample: 10, since: '5m' })).rejects.toMatchObject({
      code: 'not_found',
      message: `No traffic for agent "shop" at trace scope between ${new Date(NOW - 5 * 60_000).toISOString()} and ${new Date(NOW).toISOString()}: send OTLP traces to POST /v1/traces (or load exports with signals ingest FILE), or pick a longer window`,
    });
  });
});
