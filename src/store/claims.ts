import { and, eq, inArray, lte, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { leases } from './schema.js';
import type { Store, StoreStatement } from './types.js';

/**
 * Who claims shared work and for how long. Every claim is a conditional write that succeeds only where the work
 * is unclaimed, its lease ran out (`until <= now`: its replica died or stalled) or the claimant holds it already,
 * so of several replicas one does each piece; a killed replica's work is taken over once its lease ends.
 */
export interface Claimant {
  /** The replica's id (`SIGNALS_REPLICA_ID`, default `hostname:pid`). */
  owner: string;
  now: number;
  leaseMs: number;
}

/** Takes the lease `name` (a lane's pass) when free or already the claimant's; true when it is now held until `now + leaseMs`. */
export async function takeLease(store: Store, name: string, c: Claimant): Promise<boolean> {
  const until = c.now + c.leaseMs;
  const rows = await store.db
    .insert(leases)
    .values({ name, owner: c.owner, until })
    .onConflictDoUpdate({ target: leases.name, set: { owner: c.owner, until }, setWhere: or(lte(leases.until, c.now), eq(leases.owner, c.owner)) })
    .returning({ name: leases.name });
  return rows.length > 0;
}

/** Extends a lease the claimant still holds; false when it lost it (ran out and was taken). */
export async function renewLease(store: Store, name: string, c: Claimant): Promise<boolean> {
  const rows = await store.db
    .update(leases)
    .set({ until: c.now + c.leaseMs })
    .where(and(eq(leases.name, name), eq(leases.owner, c.owner)))
    .returning({ name: leases.name });
  return rows.length > 0;
}

/** Gives a held lease back at once, so the next pass may run on any replica. */
export async function releaseLease(store: Store, name: string, owner: string): Promise<void> {
  await store.db
    .update(leases)
    .set({ until: 0 })
    .where(and(eq(leases.name, name), eq(leases.owner, owner)));
}


/**
 * The rows a claim takes: `column` among those `pick` selects (a select of ids with its order and limit). On
 * PostgreSQL the pick runs `FOR UPDATE SKIP LOCKED`, so replicas claiming at once take different rows instead of
 * queueing on the same ones, and once (`= any(array(...))`, an init plan): as `in (...)` the planner may rescan it
 * for every candidate row (a nested-loop semi join), each rescan picking more rows past `limit`, so one replica took
 * every ready job. SQLite and D1 run one writer at a time.
 */
export function pickedBy(store: Store, column: SQLiteColumn, pick: SQLWrapper): SQL {
  if (store.dialect !== 'postgresql') return inArray(column, pick as never);
  // The Drizzle builder behind a PostgreSQL store is pg-core's, which has `.for()`; the store types it as SQLite's.
  const locked = (pick as unknown as { for(strength: 'update', config: { skipLocked: boolean }): SQLWrapper }).for('update', { skipLocked: true });
  return sql`${column} = any(array${locked})`;
}

/** A new claim token: every claim of a run or job gets its own, so a holder is known by its claim, not its replica id. */
export function newLeaseToken(): string {
  return crypto.randomUUID();
}

/** What fences a batch of writes to a claim: its first statement, and whether the claim is still held. */
export interface ClaimFence {
  statement: StoreStatement;
  held(): Promise<boolean>;
}

/**
 * The fence of a claim whose row `held` selects (the claimed row under its token). Its statement fails its batch when
 * `held` finds nothing: it inserts a row of nulls into `leases` (whose columns are NOT NULL) only then, and a failed
 * statement rolls the whole batch back on every store (a libsql or PostgreSQL transaction, a D1 batch). A batch cannot
 * branch, so this is how a replica whose claim was taken over writes nothing; `fencedBatch` tells that failure from
 * others with `held()`.
 */
export function claimFence(store: Store, held: SQLWrapper & PromiseLike<unknown[]>): ClaimFence {
  return {
    // Drizzle puts the embedded select in parentheses itself.
    statement: store.db.insert(leases).select(sql`select null, null, null where not exists ${held}`) as unknown as StoreStatement,
    held: async () => (await held).length > 0,
  };
}

/**
 * Commits `statements` only while the claim behind `fence` is held: true when they committed, false when the claim
 * was lost (nothing written). Other failures are thrown.
 */
export async function fencedBatch(store: Store, fence: ClaimFence, statements: StoreStatement[]): Promise<boolean> {
  try {
    await store.batch([fence.statement, ...statements]);
    return true;
  } catch (e) {
    if (!(await fence.held())) return false;
    throw e;
  }
}
