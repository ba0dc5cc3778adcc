// The store's LLM spend ledger: booking refuses past a cap and gives back the accounts booked before the one that
// refused; a refused day account keeps what the refused request would have brought it to, so any store handle (a
// replica) reads the same hold; retention's prune removes past days and their refusals. On libsql, PostgreSQL and D1.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { dayHold, type UsageAccount } from '../../src/custom/llm/budget.js';
import { dayUsage, pruneUsage, storeUsageLedger } from '../../src/store/usage.js';
import { insertRun } from '../../src/store/runs.js';
import { llmUsage } from '../../src/store/schema.js';
import type { Store } from '../../src/store/types.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';

let dir: string;
let a: Store;
let b: Store;

beforeEach(async () => {
  dir = newStoreDir('signals-usage-');
  a = await openTestStore(dir);
  // A second handle on the same store: another replica.
  b = await openTestStore(dir);
});
afterEach(async () => {
  await b.close();
  await a.close();
  removeStoreDir(dir);
});

const DAY = '2026-11-30';
const signal = (requests: number, usd: number): UsageAccount => ({ account: 'signal:s1', day: DAY, caps: { requests, tokens: Infinity, usd } });
const provider = (usd: number): UsageAccount => ({ account: 'provider:p', day: DAY, caps: { requests: Infinity, tokens: Infinity, usd } });
const request = (usd: number) => ({ requests: 1, tokens: 100, usd });

it('refuses past a cap, gives back what it booked, and keeps the refused request for every handle to read', async () => {
  const ledger = storeUsageLedger(a);
  expect(await ledger.take([signal(10, 1), provider(0.5)], request(0.2))).toBeNull();
  expect(await ledger.take([signal(10, 1), provider(0.5)], request(0.2))).toBeNull();
  // The third would pass the provider's $0.50: refused there; the signal's booking is given back.
  const refused = await ledger.take([signal(10, 1), provider(0.5)], request(0.2));
  expect(refused?.account.account).toBe('provider:p');
  expect(refused?.used.usd).toBeCloseTo(0.4, 9);

  const read = await dayUsage(b, ['signal:s1', 'provider:p', 'signal:none'], DAY);
  expect(read.get('signal:s1')).toEqual({ used: { requests: 2, tokens: 200, usd: expect.closeTo(0.4, 9) } });
  expect(read.get('provider:p')?.used.requests).toBe(2);
  expect(read.get('provider:p')?.refused).toEqual({ requests: 3, tokens: 300, usd: expect.closeTo(0.6, 9) });
  expect(read.has('signal:none')).toBe(false);
  // Held: under the cap, but the refused request would pass it; a cap it fits under lets it go.
  expect(dayHold({ requests: Infinity, usd: 0.5 }, read.get('provider:p')!.used, read.get('provider:p')!.refused)).toEqual({ limit: 'usd', used: expect.closeTo(0.4, 9), cap: 0.5 });
  expect(dayHold({ requests: Infinity, usd: 0.7 }, read.get('provider:p')!.used, read.get('provider:p')!.refused)).toBeUndefined();
  // A reached request cap holds without any refusal.
  expect(dayHold({ requests: 2, usd: Infinity }, read.get('signal:s1')!.used)).toEqual({ limit: 'requests', used: 2, cap: 2 });
  // Another day reads nothing.
  expect((await dayUsage(b, ['provider:p'], '2026-12-01')).size).toBe(0);
});

it('two handles racing for the last request under a cap book it once', async () => {
  const [x, y] = [storeUsageLedger(a), storeUsageLedger(b)];
  const results = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? x : y).take([signal(4, Infinity)], request(0))));
  expect(results.filter((r) => r === null)).toHaveLength(4);
  const read = await dayUsage(a, ['signal:s1'], DAY);
  expect(read.get('signal:s1')?.used.requests).toBe(4);
  expect(read.get('signal:s1')?.refused?.requests).toBe(5);
});

it('pruning a day removes its accounts and their refusals', async () => {
  const ledger = storeUsageLedger(a);
  await ledger.take([signal(1, Infinity)], request(0));
  await ledger.take([signal(1, Infinity)], request(0));
  expect((await dayUsage(a, ['signal:s1'], DAY)).get('signal:s1')?.refused).toBeDefined();
  await a.batch([pruneUsage(a, '2026-12-01')]);
  expect((await dayUsage(a, ['signal:s1'], DAY)).size).toBe(0);
});

it("pruning removes the accounts of runs no longer stored, and keeps a stored run's", async () => {
  const ledger = storeUsageLedger(a);
  const run = (id: string): UsageAccount => ({ account: `run:${id}`, day: '', caps: { requests: 10, tokens: Infinity, usd: Infinity } });
  await insertRun(a, {
    id: 'run-kept', signalId: 's1', version: 1, kind: 'backfill', since: 0, until: 1, rate: 1, status: 'paused', total: 0, done: 0, counts: {},
    unreadable: 0, requests: 0, inputTokens: 0, outputTokens: 0, usd: 0, error: null, cursor: null, createdAt: 0, updatedAt: 0, finishedAt: 0,
    leaseOwner: null, leaseUntil: 0, leaseToken: null, resumeAt: null,
  });
  await ledger.take([run('run-kept')], request(0));
  await ledger.take([run('run-gone')], request(0));
  await a.batch([pruneUsage(a, '2026-12-01')]);
  const left = await b.db.select({ account: llmUsage.account }).from(llmUsage);
  expect(left.map((r) => r.account)).toEqual(['run:run-kept']);
});
