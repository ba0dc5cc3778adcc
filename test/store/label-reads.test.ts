import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentLabelStatements, labelBucketsQuery, labelHeadlineQueries, labelledOfSignalQuery, labelledTargetsQuery, listLabelsQuery } from '../../src/store/labels.js';
import { reviewQueueQuery } from '../../src/store/learning.js';
import { rollupBucketsQuery } from '../../src/store/rollups.js';
import { openStore } from '../../src/store/libsql.js';
import type { Store } from '../../src/store/types.js';

// The label reads the dashboard, the API and the CLI make stay fast at millions of labels: listings walk one index,
// distributions and headline counts read the rollups (a row per signal, 5-minute slot and value) by primary key and
// only the labels of a part-slot at a window's edge from the covering index. These plans are what `npm run bench`
// (bench/service.mjs, reads) times at 1,000,000 labels; label-reads.pg.test.ts checks PostgreSQL's.
let store: Store;

/** SQLite's plan of a Drizzle query, one line per step. */
async function plan(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string> {
  const { sql: text, params } = query.toSQL();
  // EXPLAIN QUERY PLAN has no Drizzle builder: the query's own SQL and parameters, prefixed.
  const chunks = text.split('?');
  const statement = sql.join(chunks.map((c, i) => (i < params.length ? sql`${sql.raw(c)}${params[i]}` : sql.raw(c))), sql.raw(''));
  const rows = (await store.db.all(sql`EXPLAIN QUERY PLAN ${statement}`)) as { detail: string }[];
  return rows.map((r) => r.detail).join('\n');
}

beforeAll(async () => {
  store = await openStore({ url: ':memory:' });
  // Enough rows for ANALYZE-free planning to be realistic about a big table: the planner picks by index shape.
  await store.db.run(sql`
    with recursive n(i) as (select 0 union all select i + 1 from n where i < 2000)
    insert into labels (id, signal_id, version, target_kind, target_id, revision, agent, status, value, explanation, judge, at, labelled_at, review_key)
    select printf('l%05d', i), 's' || (i % 3), 1, 'span', printf('t%05d', i), '1', 'a', 'labelled', case when i % 7 = 0 then 'yes' else 'no' end, '', 'rules', i * 1000, 0, (i * 2654435761) % 268435456 from n`);
});
afterAll(() => store.close());

describe('label reads use the covering index', () => {
  it('distribution: a primary-key search of the rollups over the window, the edge from the covering index', async () => {
    const p = await plan(rollupBucketsQuery(store, 's1', 0, 9_900_000, 3_600_000));
    expect(p).toMatch(/SEARCH label_counts USING (COVERING )?INDEX sqlite_autoindex_label_counts_1 \(signal_id=\? AND slot>\? AND slot<\?\)/);
    expect(p).not.toMatch(/SCAN label_counts/);
    const edge = await plan(labelBucketsQuery(store, 's1', 9_900_000, 10_000_000, 3_600_000, 0));
    expect(edge).toMatch(/SEARCH labels USING COVERING INDEX labels_signal_current \(signal_id=\? AND superseded=\? AND at>\? AND at<\?\)/);
    expect(edge).not.toMatch(/SCAN labels/);
  });

  it('headline counts: the rollups by primary key, for all time and since a time; the part-slot from the covering index', async () => {
    const q = labelHeadlineQueries(store, ['s0', 's1'], 500_001);
    expect(await plan(q.totals)).toMatch(/SEARCH label_totals USING (COVERING )?INDEX sqlite_autoindex_label_totals_1 \(signal_id=\?\)/);
    expect(await plan(q.recent)).toMatch(/SEARCH label_counts USING (COVERING )?INDEX sqlite_autoindex_label_counts_1 \(signal_id=\? AND slot>\?\)/);
    expect(await plan(q.recentEdge!)).toMatch(/USING COVERING INDEX labels_signal_current \(signal_id=\? AND superseded=\? AND at>\? AND at<\?\)/);
    for (const query of [q.totals, q.recent, q.recentEdge!]) expect(await plan(query)).not.toMatch(/SCAN label/);
    // From a slot start there is no part-slot to count.
    expect(labelHeadlineQueries(store, ['s0'], 600_000).recentEdge).toBeUndefined();
  });

  it('listing: walks the index newest first, with or without a value, a window or a cursor', async () => {
    for (const f of [{}, { value: 'yes' }, { since: 1000, until: 900_000 }, { before: { at: 500_000, id: 'l00500' } }]) {
      const p = await plan(listLabelsQuery(store, { signalId: 's1', limit: 51, ...f }));
      expect(p).toMatch(/SEARCH labels USING INDEX labels_signal_current \(signal_id=\? AND superseded=\?/);
      expect(p).not.toMatch(/SCAN labels/);
      // Ties on `at` are ordered by id in a small sort; the rows themselves come in index order (no full sort).
      expect(p).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
    }
  });

  it('review queue: its sample walks labels_review from the cursor in queue order, no sort', async () => {
    for (const after of [undefined, { reviewKey: 12_345, id: 'l00042' }]) {
      const p = await plan(reviewQueueQuery(store, 's1', 26, 'sample', after));
      expect(p).toMatch(/SEARCH labels USING INDEX labels_review \(signal_id=\? AND superseded=\? AND (\(review_key,id\)>\(\?,\?\) AND )?review_key<\?\)/);
      expect(p).not.toMatch(/SCAN labels|TEMP B-TREE/);
    }
  });
});

describe("label writes find a target's labels through labels_target", () => {
  // The one index keyed by target (kind, agent, id, then signal, version, revision): the supersede check, the current
  // label's marks and the labelled-already check of backfills and LLM jobs search it, never scan the labels.
  it('supersede check, current-label marks, labelled-already check', async () => {
    const target = { signalId: 's1', targetKind: 'span' as const, agent: 'a', targetId: 't00001' };
    const searches = [
      await plan(labelledOfSignalQuery(store, 's1', 'span', 'a', ['t00001', 't00004'])),
      await plan(labelledTargetsQuery(store, 's1', 1, 'span', 'a', ['t00001', 't00004'])),
      ...(await Promise.all(currentLabelStatements(store, target).map((q) => plan(q as unknown as Parameters<typeof plan>[0])))),
    ];
    for (const p of searches) {
      expect(p).toMatch(/SEARCH labels USING (COVERING )?INDEX labels_target \(target_kind=\? AND agent=\? AND target_id=\?( AND signal_id=\?)?/);
      expect(p).not.toMatch(/SCAN labels/);
    }
  });
});
