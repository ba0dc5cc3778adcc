import { releaseLease, renewLease, takeLease } from '../store/claims.js';
import type { ServiceContext } from './context.js';

/**
 * Runs `work` while renewing a claim every third of the lease time, so work that outlasts one lease (a slow LLM
 * provider, a big batch) keeps it; a replica that dies stops renewing and its claim runs out. `renew` says whether
 * the claim is still held; once it is not, renewing stops (the work's own guarded writes then change nothing).
 */
export async function holdWhile<T>(ctx: ServiceContext, renew: () => Promise<boolean>, work: () => Promise<T>): Promise<T> {
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped) return;
    renew().then(
      (held) => {
        if (!held) stopped = true;
      },
      // A failed renewal is retried at the next tick; the lease still has two thirds to run.
      () => undefined,
    );
  }, Math.max(250, Math.floor(ctx.leaseMs / 3)));
  (timer as { unref?: () => void }).unref?.();
  try {
    return await work();
  } finally {
    stopped = true;
    clearInterval(timer);
  }
}

/**
 * One pass of a lane whose work is shared by all replicas (settle, alerts, retention): run only by the replica
 * holding the lease `lane`, which gives it back when the pass ends so the next pass may run anywhere. Returns
 * undefined when another replica holds it. The passes themselves are safe to repeat; the lease keeps replicas from
 * doing the same work twice.
 */
export async function leasedPass<T>(ctx: ServiceContext, lane: string, pass: () => Promise<T>): Promise<T | undefined> {
  const claimant = () => ({ owner: ctx.replicaId, now: ctx.now(), leaseMs: ctx.leaseMs });
  if (!(await takeLease(ctx.store, lane, claimant()))) return undefined;
  try {
    return await holdWhile(ctx, () => renewLease(ctx.store, lane, claimant()), pass);
  } finally {
    await releaseLease(ctx.store, lane, ctx.replicaId).catch(() => undefined);
  }
}
