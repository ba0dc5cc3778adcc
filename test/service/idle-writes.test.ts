// An idle service writes nothing to its store. The settle and alerts passes run every second on every replica and
// each took and gave back its lease (two writes) even with nothing to do: on PostgreSQL, WAL and replication traffic
// from each idle replica. Passes with work still take the lease, so two replicas never run the same one at once.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createSignalsService } from '../../src/service/service.js';
import { leases } from '../../src/store/schema.js';
import type { Store } from '../../src/store/types.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import { refundSignal, turn } from './fixtures.js';

const T0 = Date.parse('2026-12-01T10:00:00Z');
let dir: string;
let store: Store;

beforeEach(async () => {
  dir = newStoreDir('signals-idle-writes-');
  store = await openTestStore(dir);
});
afterEach(async () => {
  await store.close();
  removeStoreDir(dir);
});

// Retention's hourly-scale pass is left as it is: only the passes that ran every second are looked at.
const leaseNames = async () =>
  (await store.db.select().from(leases))
    .map((l) => l.name)
    .filter((name) => name !== 'retention')
    .sort();

it('takes no lease for settling or alerts while nothing waits, and takes it when something does', async () => {
  let clock = T0;
  const service = createSignalsService(store, { now: () => clock, traceSettleSeconds: 10 });
  await service.api.createSignal({ definition: refundSignal('trace') as never, state: 'active' });
  for (let i = 0; i < 3; i++) {
    clock += 1_000;
    await service.tick(clock);
  }
  expect(await leaseNames()).toEqual([]);

  // A trace that has not settled yet: still nothing to do.
  await service.ingest(turn({ traceId: 't1', at: clock, user: 'I want a refund for order 7' }));
  clock += 2_000;
  expect((await service.tick(clock)).traces).toBe(0);
  expect(await leaseNames()).not.toContain('settle');

  // Once it has settled, the pass runs under the lease and labels it.
  clock += 20_000;
  expect((await service.tick(clock)).traces).toBe(1);
  expect(await leaseNames()).toContain('settle');

  // An alert to evaluate: the alerts pass takes its lease too.
  await service.api.createAlert({ name: 'refunds', signal: 'refund-trace', metric: 'value_count', value: 'yes', comparison: 'above', threshold: 5, window: '5m' } as never);
  clock += 1_000;
  await service.tick(clock);
  expect(await leaseNames()).toContain('alerts');
});
