// The Store contract every backend keeps (libsql and D1 inside workerd in `npm test`, PostgreSQL in
// `npm run test:postgres`): migrations once, data across reopen, atomic batches, chunked inserts.
import { asc, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { summaryStatements, type UnitSummary } from '../../src/store/explore.js';
import { labelStatements } from '../../src/store/labels.js';
import { agents, labels, sessions, signals, summaries, summarySignals, traces } from '../../src/store/schema.js';
import { settledStatements } from '../../src/store/traffic.js';
import { newStoreDir, openTestStore, removeStoreDir, TEST_STORE } from '../helpers/test-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeStoreDir(d);
});
const newDir = () => {
  const dir = newStoreDir('signals-store-');
  dirs.push(dir);
  return dir;
};

describe(`the store on ${TEST_STORE}`, () => {
  it('applies the migrations once and keeps data across reopen', async () => {
    const dir = newDir();
    const first = await openTestStore(dir);
    await first.db.insert(agents).values({ id: 'a1', firstSeen: 1_733_500_000_000, lastSeen: 1_733_500_000_001 });
    await first.close();
    const second = await openTestStore(dir);
    expect(await second.db.select().from(agents)).toEqual([{ id: 'a1', firstSeen: 1_733_500_000_000, lastSeen: 1_733_500_000_001 }]);
    await second.close();
  });

  it('reads back the values it wrote: times past 2^31, booleans, JSON, reals, nulls', async () => {
    const store = await openTestStore(newDir());
    try {
      const row = {
        id: 'l1', signalId: 's1', version: 1, targetKind: 'span' as const, targetId: 't1', revision: '3', agent: 'shop', status: 'labelled' as const,
        value: 'yes', explanation: 'a "quoted" ✓ explanation', judge: 'rules' as const, reviewer: null, requests: 0, inputTokens: 0, outputTokens: 0, usd: 0.125,
        runId: null, at: 4_102_444_800_000, labelledAt: 1_733_500_000_000, superseded: true, reviewKey: 268_435_455,
      };
      await store.db.insert(labels).values(row);
      await store.db.insert(signals).values({ id: 's1', name: 'x', agent: '*', scope: 'span', type: 'binary', state: 'draft', version: 1, createdAt: 1, updatedAt: 2 });
      expect(await store.db.select().from(labels)).toEqual([row]);
      const updated = await store.db.select({ superseded: labels.superseded }).from(labels).where(eq(labels.superseded, true));
      expect(updated).toEqual([{ superseded: true }]);
    } finally {
      await store.close();
    }
  });

  // A judge's explanation may quote the traffic, and PostgreSQL text cannot hold a NUL: every store keeps U+FFFD.
  it('stores a label whose explanation quotes a NUL, the same on every store', async () => {
    const store = await openTestStore(newDir());
    try {
      const row = {
        signalId: 's1', version: 1, targetKind: 'span' as const, targetId: 't1', revision: '1', agent: 'shop', status: 'labelled' as const,
        value: 'yes', explanation: 'learned → yes: "ab\u0000cd"', judge: 'learned' as const, at: 1_733_500_000_000, labelledAt: 1_733_500_000_000,
      };
      await store.batch(await labelStatements(store, [row]));
      expect(await store.db.select({ explanation: labels.explanation }).from(labels)).toEqual([{ explanation: 'learned → yes: "ab\ufffdcd"' }]);
    } finally {
      await store.close();
    }
  });

  it('writes labels and supersedes their targets in key order, whatever order they come in', async () => {
    // Two PostgreSQL batches relabelling the same targets in different orders deadlocked (each update locks its
    // target's label rows); in one order for every batch, the later waits for the earlier instead.
    const store = await openTestStore(newDir());
    try {
      const row = (targetId: string, revision: string) => ({
        signalId: 's1', version: 1, targetKind: 'span' as const, targetId, revision, agent: 'shop', status: 'labelled' as const,
        value: 'no', explanation: '', judge: 'rules' as const, at: 1_733_500_000_000, labelledAt: 1_733_500_000_000,
      });
      const order = ['t3', 't1', 't2'];
      await store.batch(await labelStatements(store, order.map((t) => row(t, '1'))));
      const queries = (await labelStatements(store, order.map((t) => row(t, '2')))).map((q) => (q as unknown as { toSQL(): { sql: string; params: unknown[] } }).toSQL());
      const targetsIn = (q: { params: unknown[] }) => JSON.stringify(q.params).match(/t[123]/g);
      expect(queries.filter((q) => /^insert/i.test(q.sql)).flatMap(targetsIn)).toEqual(['t1', 't2', 't3']);
      expect(queries.filter((q) => /^update/i.test(q.sql)).map((q) => targetsIn(q)![0])).toEqual(['t1', 't2', 't3']);
    } finally {
      await store.close();
    }
  });

  it('records a settle page: revisions settled (never moved back) and summaries replaced, whatever the keys hold', async () => {
    const store = await openTestStore(newDir());
    try {
      const ids = ['t1', 't2', 't"é✓', 'long'.repeat(40)];
      await store.db.insert(traces).values(ids.map((id, i) => ({ agent: 'a', id, sessionId: null, rootName: 'r', rootEnded: true, startMs: 1, endMs: 2, revision: 3, settledRevision: i === 1 ? 5 : 0, lastActivity: 1 })));
      await store.db.insert(sessions).values({ agent: 'a', id: 's1', startMs: 1, endMs: 2, revision: 2, settledRevision: 0, lastActivity: 1 });
      await store.batch([...settledStatements(store, 'trace', ids.map((id) => ({ agent: 'a', id, revision: 3 }))), ...settledStatements(store, 'session', [{ agent: 'a', id: 's1', revision: 2 }])]);
      const settled = await store.db.select({ id: traces.id, settled: traces.settledRevision }).from(traces).orderBy(asc(traces.id));
      expect(new Map(settled.map((r) => [r.id, r.settled]))).toEqual(new Map(ids.map((id, i) => [id, i === 1 ? 5 : 3])));
      expect((await store.db.select({ settled: sessions.settledRevision }).from(sessions))[0]?.settled).toBe(2);

      const summary = (id: string, revision: number, types: Record<string, number>): UnitSummary => ({ kind: 'trace', agent: 'a', id, revision, turns: revision, toolCalls: 1, messages: 4, quality: 'good', score: 80, types });
      await store.batch(summaryStatements(store, ids.map((id) => summary(id, 1, { 'loop.repeat': 2, 'tool.failure': 1 }))));
      await store.batch(summaryStatements(store, [summary(ids[0]!, 2, { 'user.correction': 1 }), summary(ids[2]!, 2, {})]));
      const rows = await store.db.select({ id: summaries.id, revision: summaries.revision, turns: summaries.turns }).from(summaries);
      expect(new Map(rows.map((r) => [r.id, [r.revision, r.turns]]))).toEqual(new Map(ids.map((id, i) => [id, i === 0 || i === 2 ? [2, 2] : [1, 1]])));
      const types = await store.db.select({ id: summarySignals.id, type: summarySignals.type, count: summarySignals.count }).from(summarySignals);
      const byId = (id: string) => types.filter((t) => t.id === id).map((t) => `${t.type}=${t.count}`).sort();
      expect(byId(ids[0]!)).toEqual(['user.correction=1']);
      expect(byId(ids[1]!)).toEqual(['loop.repeat=2', 'tool.failure=1']);
      expect(byId(ids[2]!)).toEqual([]);
      expect(byId(ids[3]!)).toEqual(['loop.repeat=2', 'tool.failure=1']);
    } finally {
      await store.close();
    }
  });

  it('a batch is all or nothing', async () => {
    const store = await openTestStore(newDir());
    try {
      const ok = store.db.insert(agents).values({ id: 'a1', firstSeen: 1, lastSeen: 1 });
      const clash = store.db.insert(agents).values({ id: 'a1', firstSeen: 2, lastSeen: 2 });
      await expect(store.batch([ok, clash])).rejects.toThrow();
      expect(await store.db.select().from(agents)).toEqual([]);
      await store.batch([store.db.insert(agents).values({ id: 'a2', firstSeen: 1, lastSeen: 1 }), store.db.update(agents).set({ lastSeen: 9 }).where(eq(agents.id, 'a2'))]);
      expect(await store.db.select().from(agents)).toEqual([{ id: 'a2', firstSeen: 1, lastSeen: 9 }]);
    } finally {
      await store.close();
    }
  });

  it('commits batches that update the same rows in opposite orders at the same time', async () => {
    // Where writers run concurrently (PostgreSQL) such batches deadlock and one is aborted; the store runs it again.
    const store = await openTestStore(newDir());
    try {
      await store.batch([store.db.insert(agents).values([{ id: 'a1', firstSeen: 0, lastSeen: 0 }, { id: 'a2', firstSeen: 0, lastSeen: 0 }])]);
      const bump = (id: string) => store.db.update(agents).set({ lastSeen: sql`${agents.lastSeen} + 1` }).where(eq(agents.id, id));
      // Two at a time: a deadlock aborts one of the pair, which then runs alone.
      for (let round = 0; round < 6; round++) await Promise.all([store.batch([bump('a1'), bump('a2')]), store.batch([bump('a2'), bump('a1')])]);
      expect(await store.db.select().from(agents).orderBy(asc(agents.id))).toEqual([
        { id: 'a1', firstSeen: 0, lastSeen: 12 },
        { id: 'a2', firstSeen: 0, lastSeen: 12 },
      ]);
    } finally {
      await store.close();
    }
  });

  it('takes a multi-row insert chunked to its parameter limit', async () => {
    const store = await openTestStore(newDir());
    try {
      const rows = Array.from({ length: 5000 }, (_, i) => ({ id: `a${String(i).padStart(5, '0')}`, firstSeen: i, lastSeen: i }));
      const per = Math.floor(store.maxParams / 3);
      const statements = [];
      for (let i = 0; i < rows.length; i += per) statements.push(store.db.insert(agents).values(rows.slice(i, i + per)));
      await store.batch(statements);
      const back = await store.db.select().from(agents).orderBy(asc(agents.id));
      expect(back).toHaveLength(5000);
      expect(back[4999]).toEqual({ id: 'a04999', firstSeen: 4999, lastSeen: 4999 });
    } finally {
      await store.close();
    }
  });
});
