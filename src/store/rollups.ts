// Reads of the label rollups (label_counts, label_totals): the triggers of migrations/0010 (sqlite) and
// migrations-pg/0007 keep them equal to the current labels, so these answer what a count over labels would.
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { labelCounts, labelTotals } from './schema.js';
import type { Store } from './types.js';

/** Width of a rollup slot of traffic time (the triggers' constant): buckets that are multiples of it read rollups. */
export const ROLLUP_SLOT_MS = 300_000;

/** Start of the rollup slot holding time `at` (floor, also before 1970 as the triggers compute it). */
export function rollupSlot(at: number): number {
  return at - (((at % ROLLUP_SLOT_MS) + ROLLUP_SLOT_MS) % ROLLUP_SLOT_MS);
}

/**
 * Current label counts per value per bucket of `bucketMs` from `since`, over whole slots in [since, until): both
 * must be slot starts and `bucketMs` a multiple of the slot, so no slot straddles two buckets.
 */
export function rollupBucketsQuery(store: Store, signalId: string, since: number, until: number, bucketMs: number) {
  // Integer division buckets the slot; Drizzle has no builder for arithmetic, hence sql``.
  const bucket = sql<number>`cast((${labelCounts.slot} - ${since}) / ${bucketMs} as integer)`;
  return (
    store.db
      .select({ bucket, key: labelCounts.key, n: sql<number>`sum(${labelCounts.n})` })
      .from(labelCounts)
      .where(and(eq(labelCounts.signalId, signalId), gte(labelCounts.slot, since), lt(labelCounts.slot, until)))
      // By position, as labelBuckets does; counts that fell to 0 (relabelled targets) are no value seen.
      .groupBy(sql`1`, sql`2`)
      .having(sql`sum(${labelCounts.n}) <> 0`)
  );
}

/** Current labels per signal and value, all time, for some signals. */
export function rollupTotalsQuery(store: Store, signalIds: string[]) {
  return store.db
    .select({ signalId: labelTotals.signalId, key: labelTotals.key, n: labelTotals.n })
    .from(labelTotals)
    .where(inArray(labelTotals.signalId, signalIds));
}

/** Current labels per signal and value in the slots from `since` (a slot start) on, for some signals. */
export function rollupSinceQuery(store: Store, signalIds: string[], since: number) {
  return store.db
    .select({ signalId: labelCounts.signalId, key: labelCounts.key, n: sql<number>`sum(${labelCounts.n})` })
    .from(labelCounts)
    .where(and(inArray(labelCounts.signalId, signalIds), gte(labelCounts.slot, since)))
    .groupBy(labelCounts.signalId, labelCounts.key)
    .having(sql`sum(${labelCounts.n}) <> 0`);
}
