// PostgreSQL's plans of the label reads (label-reads.test.ts checks SQLite's): after ANALYZE of 60,000 labels of ten
// signals, one signal's listing walks an index of the signal's labels by time, its distribution and headline counts
// read the rollups by primary key (label_totals, a row per signal and value, may be read whole), and neither labels
// nor label_counts is scanned whole.
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentLabelStatements, labelBucketsQuery, labelHeadlineQueries, labelledOfSignalQuery, labelledTargetsQuery, listLabelsQuery } from '../../src/store/labels.js';
import { reviewQueueQuery } from '../../src/store/learning.js';
import { rollupBucketsQuery } from '../../src/store/rollups.js';
import type { Store } from '../../src/store/types.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-01T00:00:00Z');
let dir: string;
let store: Store;

/** Runs a statement on the PostgreSQL store (its Drizzle database is node-postgres's, whose method is `execute`). */
async function execute(statement: SQL): Promise<{ rows: Record<string, unknown>[] }> {
  return (store.db as unknown as { execute(q: SQL): Promise<{ rows: Record<string, unknown>[] }> }).execute(statement);
}

/** PostgreSQL's plan of a Drizzle query (EXPLAIN with the query's own parameters), one line per node. */
async function plan(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string> {
  const { sql: text, params } = query.toSQL();
  const chunks = text.split(/\$\d+/);
  const statement: SQL = sql.join(chunks.map((c, i) => (i < params.length ? sql`${sql.raw(c)}${params[i]}` : sql.raw(c))), sql.raw(''));
  const result = await execute(sql`EXPLAIN ${statement}`);
  return result.rows.map((r) => String(r['QUERY PLAN'])).join('\n');
}

// The labels of the partial slot at a window's edge come from an index of the signal's labels by time, read directly or
// as a bitmap: ANALYZE samples rows at random, and with some samples PostgreSQL prices the bitmap lower (a CI run did).
const EDGE_INDEX = /Index (Only )?Scan using labels_signal_(current|at) on labels|Bitmap Index Scan on labels_signal_(current|at)/;

beforeAll(async () => {
  dir = newStoreDir('signals-label-plans-');
  store = await openTestStore(dir);
  // Ten signals' labels over 30 days, 3% "yes"; the triggers fill the rollups.
  await execute(sql`
    insert into labels (id, signal_id, version, target_kind, target_id, revision, agent, status, value, explanation, judge, at, labelled_at, review_key)
    select 'l' || i, 's' || (i % 10), 1, 'span', 't' || i, '1', 'a', 'labelled', case when i % 33 = 0 then 'yes' else 'no' end, '', 'rules',
           ${T0} - (i::bigint * ${30 * DAY} / 60000), 0, (i::bigint * 2654435761) % 268435456
    from generate_series(0, 59999) as i`);
  await execute(sql`analyze labels`);
  await execute(sql`analyze label_counts`);
  await execute(sql`analyze label_totals`);
}, 120_000);
afterAll(async () => {
  await store.close();
  removeStoreDir(dir);
});

describe('PostgreSQL plans of the label reads', () => {
  it('distribution: the rollups by primary key, the edge slot from labels_signal_current', async () => {
    const p = await plan(rollupBucketsQuery(store, 's1', T0 - DAY, T0, 3_600_000));
    expect(p).toMatch(/Index (Only )?Scan using label_counts_signal_id_slot_key_pk|Bitmap Index Scan on label_counts_signal_id_slot_key_pk/);
    expect(p).not.toMatch(/Seq Scan/);
    const edge = await plan(labelBucketsQuery(store, 's1', T0 - 300_000, T0, 3_600_000, T0 - DAY));
    expect(edge).toMatch(EDGE_INDEX);
    expect(edge).not.toMatch(/Seq Scan/);
  });

  it('headline counts: the rollups by primary key', async () => {
    const q = labelHeadlineQueries(store, ['s1', 's2'], T0 - DAY + 1);
    expect(await plan(q.totals)).not.toMatch(/ on labels /);
    expect(await plan(q.recent)).toMatch(/label_counts_signal_id_slot_key_pk/);
    expect(await plan(q.recent)).not.toMatch(/Seq Scan/);
    expect(await plan(q.recentEdge!)).toMatch(EDGE_INDEX);
    expect(await plan(q.recentEdge!)).not.toMatch(/Seq Scan/);
  });

  it("listing: an index of the signal's labels by time, newest first, with or without a value or a cursor", async () => {
    for (const f of [{}, { value: 'yes' }, { before: { at: T0 - DAY, id: 'l500' } }]) {
      const p = await plan(listLabelsQuery(store, { signalId: 's1', limit: 51, ...f }));
      expect(p).toMatch(/Index (Only )?Scan Backward using labels_signal_(current|at) on labels/);
      expect(p).not.toMatch(/Seq Scan/);
    }
  });

  it('review queue: its sample reads labels_review from the cursor, no sort', async () => {
    for (const after of [undefined, { reviewKey: 12_345, id: 'l42' }]) {
      const p = await plan(reviewQueueQuery(store, 's1', 26, 'sample', after));
      expect(p).toMatch(/Index Scan using labels_review on labels/);
      expect(p).not.toMatch(/Seq Scan|Sort/);
    }
  });

  it("label writes find a target's labels through labels_target (supersede check, current-label marks, labelled-already check)", async () => {
    const target = { signalId: 's1', targetKind: 'span' as const, agent: 'a', targetId: 't1' };
    const plans = [
      await plan(labelledOfSignalQuery(store, 's1', 'span', 'a', ['t1', 't11'])),
      await plan(labelledTargetsQuery(store, 's1', 1, 'span', 'a', ['t1', 't11'])),
      ...(await Promise.all(currentLabelStatements(store, target).map((q) => plan(q as unknown as Parameters<typeof plan>[0])))),
    ];
    for (const p of plans) {
      expect(p).toMatch(/Index (Only )?Scan using labels_target on labels|Bitmap Index Scan on labels_target/);
      expect(p).not.toMatch(/Seq Scan on labels/);
    }
  });
});
