// A target with no readable message is never judged: counted as unreadable and labelled nothing, live (span scope),
// when traces and sessions settle, in a backfill and in a test run. A rules signal whose default is "no" would
// otherwise label an empty conversation "no": a false negative nobody could tell from a real one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testSignal } from '../../src/custom/test-signal.js';
import type { Target } from '../../src/custom/types.js';
import { signalDefinitionSchema } from '../../src/custom/definition.js';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { openStore } from '../../src/store/libsql.js';
import type { Store } from '../../src/store/types.js';
import { refundSignal, span, turn } from './fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
let dir: string;
let store: Store;
let clock: number;
let service: SignalsService;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-unreadable-'));
  store = await openStore({ url: join(dir, 'signals.db') });
  clock = T0 + 60_000;
  service = createSignalsService(store, { now: () => clock });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A turn whose LLM span has GenAI attributes but no content (what content capture turned off gives). */
function emptyTurn(traceId: string, sessionId: string, at: number) {
  const [root, llm] = turn({ traceId, sessionId, at, user: 'x' });
  return [root, { ...llm, messages: [], unreadable: true }];
}

/** A turn whose only messages have no text. */
function blankTurn(traceId: string, sessionId: string, at: number) {
  const [root, llm] = turn({ traceId, sessionId, at, user: 'x' });
  return [root, { ...llm, messages: [{ role: 'user', content: '   ' }, { role: 'assistant', content: '' }] }];
}

const labelsOf = async (ref: string) => (await service.api.labels(ref, { limit: 500 })).items.map((l) => `${l.targetKind}:${l.targetId}=${l.value ?? l.status}`).sort();

describe('targets with no readable message', () => {
  it('live span scope: stored, counted, never labelled', async () => {
    await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
    const r = await service.ingest([...emptyTurn('e1', 's-empty', T0), ...blankTurn('b1', 's-blank', T0 + 1000), ...turn({ traceId: 'r1', sessionId: 's-read', at: T0 + 2000, user: 'hello' })]);
    expect(r).toEqual({ spans: 6, stored: 6, labels: 1, queued: 0, unreadable: 2 });
    expect(await labelsOf('refund-span')).toEqual(['span:r1-llm=no']);
  });

  it('trace and session scope at settle: counted, never labelled; labelled once a readable message arrives', async () => {
    await service.api.createSignal({ definition: refundSignal('trace') as never, state: 'active' });
    await service.api.createSignal({ definition: refundSignal('session') as never, state: 'active' });
    await service.ingest([...emptyTurn('e1', 's1', T0), ...blankTurn('b1', 's2', T0 + 1000)]);
    clock += 2 * 60 * 60_000;
    const t = await service.tick(clock);
    expect(t).toMatchObject({ traces: 2, sessions: 2, labels: 0, unreadable: 4 });
    expect(await labelsOf('refund-trace')).toEqual([]);
    expect(await labelsOf('refund-session')).toEqual([]);

    // The session resumes with something readable: now it is judged (on what it has).
    await service.ingest(turn({ traceId: 'r2', sessionId: 's1', at: clock, user: 'I want a refund' }));
    clock += 2 * 60 * 60_000;
    await service.tick(clock);
    expect(await labelsOf('refund-session')).toEqual(['session:s1=yes']);
    expect(await labelsOf('refund-trace')).toEqual(['trace:r2=yes']);
  });

  it('backfill: counted in the run (done includes them), no label', async () => {
    await service.ingest([...emptyTurn('e1', 's1', T0), ...blankTurn('b1', 's2', T0 + 1000), ...turn({ traceId: 'r1', sessionId: 's3', at: T0 + 2000, user: 'refund' })]);
    await service.api.createSignal({ definition: refundSignal('session') as never });
    const run = await service.api.startRun('refund-session', { since: '2026-11-30T00:00:00Z', until: '2026-11-30T12:00:00Z' });
    await service.driveRun(run.id);
    expect(await service.api.getRun(run.id)).toMatchObject({ status: 'done', total: 3, done: 3, counts: { yes: 1 }, unreadable: 2 });
    expect(await labelsOf('refund-session')).toEqual(['session:s3=yes']);
  });

  it('test on stored traffic and on given targets: counted, no row', async () => {
    await service.ingest([...emptyTurn('e1', 's1', T0), ...turn({ traceId: 'r1', sessionId: 's3', at: T0 + 2000, user: 'hi' })]);
    await service.api.createSignal({ definition: refundSignal('session') as never });
    const stored = await service.api.testSignal({ ref: 'refund-session', sample: 10 });
    expect(stored).toMatchObject({ distribution: { no: 1 }, unreadable: 1 });
    expect(stored.rows.map((r) => r.id)).toEqual(['s3']);

    const empty: Target = { kind: 'session', id: 'empty', agent: 'shop', messages: [{ from: 'human', value: ' ' }], meta: {} };
    const full: Target = { kind: 'session', id: 'full', agent: 'shop', messages: [{ from: 'human', value: 'refund please' }], meta: {} };
    const definition = signalDefinitionSchema.parse(refundSignal('session'));
    const files = await testSignal({ definition, targets: [empty, full], sample: 10 });
    expect(files).toMatchObject({ n: 1, distribution: { yes: 1, no: 0 }, unreadable: 1 });
    expect(files.rows.map((r) => r.id)).toEqual(['full']);
  });

  it('a span signal never labels an LLM span that carries only blank text', async () => {
    await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
    const r = await service.ingest([span({ traceId: 'w', spanId: 'w-llm', kind: 'llm', startMs: T0, endMs: T0 + 10, messages: [{ role: 'assistant', content: '\n' }] })]);
    expect(r).toMatchObject({ labels: 0, unreadable: 1 });
  });
});
