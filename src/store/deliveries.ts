import { and, asc, count, desc, eq, inArray, lt, lte } from 'drizzle-orm';
import { deliveries } from './schema.js';
import { chunk, columnCount } from './traffic.js';
import type { Store, StoreStatement } from './types.js';

/** A stored delivery: one notification to one channel, with its attempts. */
export type DeliveryRow = typeof deliveries.$inferSelect;

/** A delivery as the alert evaluation stores it, before any attempt. */
export type NewDelivery = Pick<DeliveryRow, 'id' | 'alertId' | 'channel' | 'at' | 'payload'>;

/** Who claims due deliveries, when, and for how long (the lease). */
export interface DeliveryClaimant {
  /** The replica's id (`SIGNALS_REPLICA_ID`). */
  owner: string;
  now: number;
  leaseMs: number;
}

/**
 * Statements storing new deliveries as pending and due at once, for the batch that stores their alert's state and
 * transition. A delivery already stored (same id: the same notification and channel) is left as it is.
 */
export function deliveryStatements(store: Store, rows: readonly NewDelivery[]): StoreStatement[] {
  const full = rows.map((r) => ({
    ...r,
    status: 'pending' as const,
    attempts: 0,
    httpStatus: null,
    lastError: null,
    nextAttemptAt: r.at,
    lastAttemptAt: null,
    leaseOwner: null,
    leaseUntil: 0,
  }));
  return chunk(full, columnCount(deliveries), store.maxParams).map((part) => store.db.insert(deliveries).values(part).onConflictDoNothing());
}

const due = (now: number) => and(eq(deliveries.status, 'pending'), lte(deliveries.nextAttemptAt, now), lt(deliveries.leaseUntil, now));

/**
 * Claims up to `limit` due deliveries (pending, their next attempt due, no live lease), oldest first: a read finds
 * candidates (so an idle pass writes nothing), then one conditional UPDATE sets the lease only where the row is
 * still due and unleased and returns the rows it took, so of replicas claiming together each row goes to one (the
 * database serialises the writes and re-checks the condition on the row it updates).
 */
export async function claimDueDeliveries(store: Store, c: DeliveryClaimant, limit: number): Promise<DeliveryRow[]> {
  const candidates = await store.db.select({ id: deliveries.id }).from(deliveries).where(due(c.now)).orderBy(asc(deliveries.nextAttemptAt)).limit(limit);
  if (candidates.length === 0) return [];
  return store.db
    .update(deliveries)
    .set({ leaseOwner: c.owner, leaseUntil: c.now + c.leaseMs })
    .where(and(inArray(deliveries.id, candidates.map((r) => r.id)), due(c.now)))
    .returning();
}

/** The outcome of one attempt as stored: still pending (with its next time), sent, or failed for good. */
export type AttemptRecord = Pick<DeliveryRow, 'status' | 'attempts' | 'httpStatus' | 'lastError' | 'nextAttemptAt' | 'lastAttemptAt'>;

/**
 * Stores an attempt's outcome and gives the lease back, only while `owner` still holds it; false when the lease
 * was lost (it ran out and another replica took the delivery), in which case nothing is written.
 */
export async function recordAttempt(store: Store, id: string, owner: string, attempt: AttemptRecord): Promise<boolean> {
  const rows = await store.db
    .update(deliveries)
    .set({ ...attempt, leaseOwner: null, leaseUntil: 0 })
    .where(and(eq(deliveries.id, id), eq(deliveries.leaseOwner, owner), eq(deliveries.status, 'pending')))
    .returning({ id: deliveries.id });
  return rows.length > 0;
}

/** An alert's deliveries, newest first. */
export async function listDeliveries(store: Store, alertId: string, limit = 500): Promise<DeliveryRow[]> {
  return store.db.select().from(deliveries).where(eq(deliveries.alertId, alertId)).orderBy(desc(deliveries.at), desc(deliveries.id)).limit(limit);
}

/** Deliveries per status, and when the oldest pending one was due (what to watch: a growing backlog). */
export async function deliveryCounts(store: Store): Promise<{ pending: number; sent: number; failed: number; oldestDueAt: number | null }> {
  const rows = await store.db.select({ status: deliveries.status, n: count() }).from(deliveries).groupBy(deliveries.status);
  const [oldest] = await store.db
    .select({ at: deliveries.nextAttemptAt })
    .from(deliveries)
    .where(eq(deliveries.status, 'pending'))
    .orderBy(asc(deliveries.nextAttemptAt))
    .limit(1);
  const n = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
  return { pending: n('pending'), sent: n('sent'), failed: n('failed'), oldestDueAt: oldest?.at ?? null };
}

/** Statement pruning finished (sent or failed) deliveries of notifications older than `cutoff`. */
export function pruneDeliveries(store: Store, cutoff: number): StoreStatement {
  return store.db.delete(deliveries).where(and(inArray(deliveries.status, ['sent', 'failed']), lt(deliveries.at, cutoff)));
}
