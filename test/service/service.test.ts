import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/service/api.js';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import type { Store } from '../../src/store/types.js';
import { refundSignal, turn } from './fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');

let dir: string;
let store: Store;
let clock: number;
let service: SignalsService;

beforeEach(async () => {
  dir = newStoreDir('signals-service-');
  store = await openTestStore(dir);
  clock = T0 + 60_000;
  service = createSignalsService(store, { now: () => clock });
});
afterEach(async () => {
  await store.close();
  removeStoreDir(dir);
});

const values = async (ref: string) => (await service.api.labels(ref)).items.map((l) => `${l.targetKind}:${l.targetId}@${l.revision}=${l.value}`).sort();

describe('live labelling', () => {
  it('labels span targets when the span is stored, only for active signals', async () => {
    await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
    await service.api.createSignal({ definition: { ...refundSignal('span'), name: 'refund-draft' } as never });
    const disabled = await service.api.createSignal({ definition: { ...refundSignal('span'), name: 'refund-off' } as never, state: 'active' });
    await service.api.setState(disabled.id, 'disabled');

    const r = await service.ingest([...turn({ traceId: 't1', at: T0, user: 'I want a refund now' }), ...turn({ traceId: 't2', at: T0 + 1000, user: 'Where is my parcel?' })]);
    expect(r).toEqual({ spans: 4, stored: 4, labels: 2, queued: 0, unreadable: 0 });
    expect(await values('refund-span')).toEqual(['span:t1-llm@1=yes', 'span:t2-llm@1=no']);
    expect(await values('refund-draft')).toEqual([]);
    expect(await values('refund-off')).toEqual([]);
  });

  it('re-ingesting the same export changes nothing', async () => {
    await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
    const spans = turn({ traceId: 't1', sessionId: 's1', at: T0, user: 'refund please' });
    await service.ingest(spans);
    const before = await service.api.labels('refund-span');
    const again = await service.ingest(spans);
    expect(again).toEqual({ spans: 2, stored: 0, labels: 0, queued: 0, unreadable: 0 });
    expect(await service.api.labels('refund-span')).toEqual(before);
    expect(await service.api.agents()).toEqual([
      { agent: 'shop', sessions: 1, traces: 1, spans: 2, firstSeen: new Date(T0).toISOString(), lastSeen: new Date(T0 + 900).toISOString() },
    ]);
  });

  it('labels a trace once its root ended and no span came for traceSettleSeconds', async () => {
    await service.api.createSignal({ definition: refundSignal('trace') as never, state: 'active' });
    const [root, llm] = turn({ traceId: 't1', at: T0, user: 'refund me' });
    await service.ingest([llm]);
    clock += 60_000;
    await service.tick(clock);
    expect(await values('refund-trace')).toEqual([]); // root not ended yet
    await service.ingest([root]);
    clock += 9_000;
    await service.tick(clock);
    expect(await values('refund-trace')).toEqual([]); // 9 s quiet < 10 s
    clock += 1_000;
    await service.tick(clock);
    expect(await values('refund-trace')).toEqual(['trace:t1@2=yes']);
    await service.tick(clock + 60_000);
    expect((await service.api.labels('refund-trace', { limit: 500 })).items).toHaveLength(1);
  });

  it('labels a session after sessionIdleMinutes, and again (new revision, latest shown) when it resumes', async () => {
    await service.api.createSignal({ definition: refundSignal('session') as never, state: 'active' });
    await service.ingest(turn({ traceId: 't1', sessionId: 's1', at: T0, user: 'hello' }));
    clock += 29 * 60_000;
    await service.tick(clock);
    expect(await values('refund-session')).toEqual([]);
    clock += 60_000;
    await service.tick(clock);
    expect(await values('refund-session')).toEqual(['session:s1@2=no']);

    await service.ingest(turn({ traceId: 't2', sessionId: 's1', at: T0 + 40 * 60_000, user: 'actually I want a refund' }));
    clock += 30 * 60_000;
    await service.tick(clock);
    // The latest revision is shown; the first label is kept, superseded.
    expect(await values('refund-session')).toEqual(['session:s1@4=yes']);
    const view = await service.api.target('session', 's1');
    expect(view.labels.map((l) => [l.revision, l.value, l.superseded])).toEqual([
      ['4', 'yes', false],
      ['2', 'no', true],
    ]);
    expect(view.messages.map((m) => m.value)).toEqual(['hello', 'Let me check that for you.', 'actually I want a refund', 'Let me check that for you.']);
    expect(view.report.turn_metrics.user_turns).toBe(2);
  });

  it('stores every span of concurrent exports that share traces and sessions, listed in different orders', async () => {
    // A store that takes writers concurrently (PostgreSQL) must not deadlock when two exports upsert the same trace and
    // session rows in opposite orders; one that serialises them (SQLite) trivially passes.
    await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
    const sessions = 24;
    const exports = Array.from({ length: 8 }, (_, e) => {
      const turns = Array.from({ length: sessions }, (_, k) => turn({ traceId: `c${e >> 1}-${k}`, sessionId: `cs${k}`, at: T0 + k * 1000 + (e >> 1) * 60_000, user: k % 2 ? 'refund' : 'hi' }));
      // Exports 2j and 2j+1 hold the roots and the LLM spans of the same traces, one in session order, one reversed.
      const spans = turns.map(([root, llm]) => (e % 2 === 0 ? root : llm));
      return e % 2 === 0 ? spans : spans.reverse();
    });
    const results = await Promise.all(exports.map((x) => service.ingest(x)));
    expect(results.reduce((n, r) => n + r.stored, 0)).toBe(8 * sessions);
    expect(results.reduce((n, r) => n + r.labels, 0)).toBe(4 * sessions);
    const [shop] = await service.api.agents();
    expect(shop).toMatchObject({ agent: 'shop', sessions, traces: 4 * sessions, spans: 8 * sessions });
  });

  it('honours the sample rate with the deterministic sample', async () => {
    await service.api.createSignal({ definition: refundSignal('span', { sample_rate: 0.25 }) as never, state: 'active' });
    const spans = Array.from({ length: 200 }, (_, i) => turn({ traceId: `t${i}`, at: T0 + i * 1000, user: 'refund' })).flat();
    const r = await service.ingest(spans);
    const { keep } = await import('../../src/custom/sample.js');
    let expected = 0;
    for (let i = 0; i < 200; i++) if (await keep('span', `t${i}-llm`, 0.25)) expected++;
    expect(r.labels).toBe(expected);
    expect(expected).toBeGreaterThan(30);
    expect(expected).toBeLessThan(70);
  });
});

describe('states and versions', () => {
  it('moves through states with one function and rejects invalid transitions', async () => {
    const s = await service.api.createSignal({ definition: refundSignal('span') as never });
    expect(s.state).toBe('draft');
    await expect(service.api.setState(s.id, 'disabled')).rejects.toThrow('Signal "refund-span" is draft and cannot become disabled; from draft it can become active or archived');
    expect((await service.api.setState(s.id, 'active')).state).toBe('active');
    await expect(service.api.setState(s.id, 'active')).rejects.toMatchObject({ code: 'conflict' });
    expect((await service.api.setState(s.id, 'archived')).state).toBe('archived');
    expect((await service.api.listSignals()).map((x) => x.name)).toEqual([]);
    expect((await service.api.listSignals({ includeArchived: true })).map((x) => x.name)).toEqual(['refund-span']);
  });

  it('an edit makes a new version, lists the changes, and new labels record it; scope cannot change', async () => {
    await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
    await service.ingest(turn({ traceId: 't1', at: T0, user: 'refund' }));
    const { signal, changes } = await service.api.editSignal('refund-span', { prompt: 'Is a refund requested?' });
    expect(signal.version).toBe(2);
    expect(changes).toEqual(['prompt: "Does the user ask for a refund?" → "Is a refund requested?"']);
    await service.ingest(turn({ traceId: 't2', at: T0 + 5000, user: 'refund' }));
    expect((await service.api.labels('refund-span')).items.map((l) => [l.targetId, l.version])).toEqual([
      ['t2-llm', 2],
      ['t1-llm', 1],
    ]);
    expect((await service.api.versions('refund-span')).map((v) => [v.version, v.definition.prompt])).toEqual([
      [2, 'Is a refund requested?'],
      [1, 'Does the user ask for a refund?'],
    ]);
    const err = await service.api.editSignal('refund-span', { scope: 'trace' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).message).toBe('The scope of "refund-span" is span and cannot change: create a new signal with scope "trace"');
    expect((await service.api.editSignal('refund-span', { prompt: 'Is a refund requested?' })).changes).toEqual([]);
  });

  it('rejects an invalid definition with every problem and its path', async () => {
    const err = (await service.api.createSignal({ definition: { ...refundSignal('span'), sample_rate: 2, type: 'labels' } as never }).catch((e: unknown) => e)) as ServiceError;
    expect(err.code).toBe('invalid');
    expect(err.details).toContain('sample_rate: must be at most 1');
    expect(err.details).toContain('labels: need 2 to 10 labels');
  });
});

describe('reading', () => {
  it('paginates labels newest first with a cursor, filters by value, and counts per bucket', async () => {
    await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
    const spans = Array.from({ length: 7 }, (_, i) => turn({ traceId: `t${i}`, at: T0 + i * 20 * 60_000, user: i % 2 === 0 ? 'refund' : 'hi' })).flat();
    await service.ingest(spans);
    const first = await service.api.labels('refund-span', { limit: 3 });
    expect(first.items.map((l) => l.targetId)).toEqual(['t6-llm', 't5-llm', 't4-llm']);
    const second = await service.api.labels('refund-span', { limit: 3, cursor: first.nextCursor! });
    expect(second.items.map((l) => l.targetId)).toEqual(['t3-llm', 't2-llm', 't1-llm']);
    const third = await service.api.labels('refund-span', { limit: 3, cursor: second.nextCursor! });
    expect(third).toEqual({ items: [expect.objectContaining({ targetId: 't0-llm' })], nextCursor: null });
    expect((await service.api.labels('refund-span', { value: 'yes' })).items.map((l) => l.targetId)).toEqual(['t6-llm', 't4-llm', 't2-llm', 't0-llm']);

    const dist = await service.api.distribution('refund-span', { bucket: '1h', since: '2026-11-30T10:00:00Z', until: '2026-11-30T13:00:00Z' });
    // Spans end at 10:00:00.8, 10:20, 10:40 | 11:00, 11:20, 11:40 | 12:00 (yes on even i).
    expect(dist).toEqual([
      { start: '2026-11-30T10:00:00.000Z', counts: { yes: 2, no: 1 } },
      { start: '2026-11-30T11:00:00.000Z', counts: { yes: 1, no: 2 } },
      { start: '2026-11-30T12:00:00.000Z', counts: { yes: 1 } },
    ]);
    const [summary] = await service.api.listSignals();
    expect(summary).toMatchObject({ name: 'refund-span', labelled: 7, version: 1, state: 'active' });
    await expect(service.api.labels('refund-span', { cursor: '!!' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(service.api.target('trace', 'nope')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('templates', () => {
  it('creates a signal from a template with overrides, and names the templates when one is unknown', async () => {
    const s = await service.api.createSignal({ template: 'frustration', overrides: { agent: 'shop', sample_rate: 0.5 } });
    expect(s).toMatchObject({ name: 'frustration', agent: 'shop', state: 'draft', version: 1 });
    expect(s.definition.sample_rate).toBe(0.5);
    await expect(service.api.createSignal({ template: 'frustration' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(service.api.createSignal({ template: 'nope' })).rejects.toThrow('No template "nope" (templates: nsfw, jailbreak, refusal, frustration, sentiment, task-outcome)');
  });

  it('an edit with null removes a field (its default applies)', async () => {
    await service.api.createSignal({ definition: refundSignal('trace', { description: 'refunds', filter: { min_messages: 2 } }) } as never);
    const r = await service.api.editSignal('refund-trace', { description: null, filter: null } as never);
    expect(r.signal.version).toBe(2);
    expect(r.signal.definition.description).toBeUndefined();
    expect(r.signal.definition.filter).toBeUndefined();
    expect(r.changes).toEqual(['description: "refunds" → (none)', 'filter: {"min_messages":2} → (none)']);
  });
});
