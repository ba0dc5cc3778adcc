import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSignalsService } from '../../src/service/service.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import type { Store } from '../../src/store/types.js';
import { refundSignal, turn } from './fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
let dir: string;
const stores: Store[] = [];

beforeEach(() => {
  dir = newStoreDir('signals-backfill-');
});
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  removeStoreDir(dir);
});

async function open(batchSize = 10) {
  const store = await openTestStore(dir);
  stores.push(store);
  return createSignalsService(store, { now: () => T0 + 86_400_000, batchSize });
}

/** 45 traces, every third asking for a refund; stored while no signal exists (nothing labelled live). */
async function seed(service: Awaited<ReturnType<typeof open>>) {
  const spans = Array.from({ length: 45 }, (_, i) => turn({ traceId: `t${String(i).padStart(2, '0')}`, at: T0 + i * 60_000, user: i % 3 === 0 ? 'refund' : 'thanks' })).flat();
  await service.ingest(spans);
  await service.api.createSignal({ definition: refundSignal('trace') as never });
}

const WINDOW = { since: '2026-11-30T00:00:00Z', until: '2026-12-01T00:00:00Z' };

describe('backfill runs', () => {
  it('labels stored traffic with the current version, tied to the run, with progress', async () => {
    const service = await open();
    await seed(service);
    const run = await service.api.startRun('refund-trace', WINDOW);
    expect(run).toMatchObject({ status: 'queued', total: 45, done: 0, version: 1, rate: 1 });
    expect(await service.driveRun(run.id)).toBe('finished');
    const done = await service.api.getRun(run.id);
    expect(done).toMatchObject({ status: 'done', total: 45, done: 45, counts: { yes: 15, no: 30 }, cost: { requests: 0, usd: 0 } });
    const labels = await service.api.labels('refund-trace', { limit: 500 });
    expect(labels.items).toHaveLength(45);
    expect(new Set(labels.items.map((l) => l.runId))).toEqual(new Set([run.id]));
  });

  it('fixes the window at its start: traffic arriving while it runs does not push done past total', async () => {
    const service = await open();
    await seed(service);
    const now = T0 + 86_400_000;
    const run = await service.api.startRun('refund-trace', { since: '2026-11-30T00:00:00Z', until: '2100-01-01T00:00:00Z' });
    expect(run).toMatchObject({ total: 45, until: new Date(now + 5 * 60_000).toISOString() });
    expect(await service.driveRun(run.id, 2)).toBe('more');
    // 30 new traces while the run is under way, after its start and the allowed clock skew (the usual case) and 10 dated before it (a late exporter).
    await service.ingest(Array.from({ length: 30 }, (_, i) => turn({ traceId: `n${String(i).padStart(2, '0')}`, at: now + 6 * 60_000 + i * 1000, user: 'refund' })).flat());
    await service.ingest(Array.from({ length: 10 }, (_, i) => turn({ traceId: `late${i}`, at: T0 + 50 * 60_000 + i * 1000, user: 'refund' })).flat());
    expect(await service.driveRun(run.id)).toBe('finished');
    const done = await service.api.getRun(run.id);
    expect(done.status).toBe('done');
    expect(done.done).toBe(55);
    expect(done.done).toBeLessThanOrEqual(done.total);
  });

  it('resumes after being killed mid-run (a new service on the same file) and ends as an uninterrupted run', async () => {
    const first = await open();
    await seed(first);
    const run = await first.api.startRun('refund-trace', WINDOW);
    expect(await first.driveRun(run.id, 2)).toBe('more'); // "killed" after 2 batches
    expect(await first.api.getRun(run.id)).toMatchObject({ status: 'running', done: 20 });
    await stores[0].close();
    stores.splice(0);

    const second = await open();
    const tick = await second.tick(); // the runner's tick picks up unfinished runs
    expect(tick.runs).toBe(1);
    expect(await second.api.getRun(run.id)).toMatchObject({ status: 'done', done: 45, counts: { yes: 15, no: 30 } });
    expect((await second.api.labels('refund-trace', { limit: 500 })).items).toHaveLength(45);
  });

  it('re-running the same window skips targets that version labelled already; cancel stops a run', async () => {
    const service = await open();
    await seed(service);
    const a = await service.api.startRun('refund-trace', WINDOW);
    await service.driveRun(a.id);
    const b = await service.api.startRun('refund-trace', WINDOW);
    await service.driveRun(b.id);
    expect(await service.api.getRun(b.id)).toMatchObject({ status: 'done', done: 45, counts: {} });
    expect((await service.api.labels('refund-trace', { limit: 500 })).items).toHaveLength(45);

    const c = await service.api.startRun('refund-trace', { ...WINDOW, rate: 0.5 });
    expect((await service.api.cancelRun(c.id)).status).toBe('cancelled');
    expect(await service.driveRun(c.id)).toBe('finished');
    await expect(service.api.cancelRun(c.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(service.api.startRun('refund-trace', { since: 'yesterday', until: 'now' })).rejects.toMatchObject({ code: 'invalid' });
  });

  it('a new version backfills the same targets again; the latest label is shown', async () => {
    const service = await open();
    await seed(service);
    const a = await service.api.startRun('refund-trace', WINDOW);
    await service.driveRun(a.id);
    await service.api.editSignal('refund-trace', { rules: { when: [{ label: 'yes', if: { phrases: ['thanks'] } }], default: 'no' } } as never);
    const b = await service.api.startRun('refund-trace', WINDOW);
    await service.driveRun(b.id);
    expect(await service.api.getRun(b.id)).toMatchObject({ version: 2, counts: { yes: 30, no: 15 } });
    const shown = (await service.api.labels('refund-trace', { limit: 500 })).items;
    expect(shown).toHaveLength(45);
    expect(new Set(shown.map((l) => l.version))).toEqual(new Set([2]));
  });
});
