import { and, eq, lte, or } from 'drizzle-orm';
import { leases } from './schema.js';
import type { Store } from './types.js';

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
 * The row pick of a claim (a subquery of the claiming UPDATE): on PostgreSQL `FOR UPDATE SKIP LOCKED`, so replicas
 * claiming at once take different rows instead of queueing on the same ones; SQLite and D1 run one writer at a time.
 */
export function forClaim<Q extends object>(store: Store, pick: Q): Q {
  if (store.dialect !== 'postgresql') return pick;
  // The Drizzle builder behind a PostgreSQL store is pg-core's, which has `.for()`; the store types it as SQLite's.
  return (pick as unknown as { for(strength: 'update', config: { skipLocked: boolean }): Q }).for('update', { skipLocked: true });
}
