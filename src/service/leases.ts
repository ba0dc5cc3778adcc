import { releaseLease, renewLease, takeLease } from '../store/claims.js';
import type { ServiceContext } from './context.js';

/** Thrown before an LLM request by work whose claim another replica took over: the request is not booked or sent. */
export class ClaimLostError extends Error {
  override readonly name = 'ClaimLostError';
  constructor() {
    super('the claim on this work was taken over by another replica');
  }
}

/** True for a `ClaimLostError`. */
export function isClaimLost(error: unknown): error is ClaimLostError {
  return error instanceof ClaimLostError;
}

/** A claim held while work runs (see `holdWhile`). */
export interface Hold {
  /**
   * Resolves while the claim is held, else throws `ClaimLostError`: called before every paid LLM request. Free while
   * the last renewal is recent (within a third of the lease); past that (renewals failed or the loop stalled) it
   * renews first, so a holder whose lease may have run out and been taken pays for nothing more.
   */
  check(): Promise<void>;
}

/**
 * Runs `work` while renewing a claim every third of the lease time (a heartbeat), so work that outlasts one lease
 * (a slow LLM provider, retries, a big batch) keeps it; a replica that dies stops renewing and its claim runs out.
 * `renew(now)` extends the claim to `now + leaseMs` and says whether it is still held; once it is not, renewing
 * stops and `hold.check()` throws, and the work's fenced writes change nothing.
 */
export async function holdWhile<T>(ctx: ServiceContext, renew: (now: number) => Promise<boolean>, work: (hold: Hold) => Promise<T>): Promise<T> {
  let stopped = false;
  let lost = false;
  // Until when the claim is known held: the claim's lease, then each successful renewal's.
  let heldUntil = ctx.now() + ctx.leaseMs;
  const renewNow = async (): Promise<boolean> => {
    const now = ctx.now();
    if (!(await renew(now))) {
      lost = true;
      return false;
    }
    heldUntil = Math.max(heldUntil, now + ctx.leaseMs);
    return true;
  };
  const timer = setInterval(() => {
    if (stopped || lost) return;
    // A failed renewal is retried at the next beat; the lease still has two thirds to run.
    renewNow().catch(() => undefined);
  }, Math.max(250, Math.floor(ctx.leaseMs / 3)));
  (timer as { unref?: () => void }).unref?.();
  const hold: Hold = {
    async check() {
      if (!lost && heldUntil - ctx.now() > (ctx.leaseMs * 2) / 3) return;
      if (lost || !(await renewNow())) throw new ClaimLostError();
    },
  };
  try {
    return await work(hold);
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
    return await holdWhile(ctx, (now) => renewLease(ctx.store, lane, { ...claimant(), now }), () => pass());
  } finally {
    await releaseLease(ctx.store, lane, ctx.replicaId).catch(() => undefined);
  }
}

/**
 * {@link leasedPass} when `due` finds work, else nothing: taking and giving back a lease are two writes a pass, so an
 * idle service wrote to its store every second per lane (on PostgreSQL, WAL and replication traffic from each
 * replica). `due` only reads; work that arrives after it is the next pass's.
 */
export async function leasedPassWhenDue<T>(ctx: ServiceContext, lane: string, due: () => Promise<boolean>, pass: () => Promise<T>): Promise<T | undefined> {
  return (await due()) ? leasedPass(ctx, lane, pass) : undefined;
}
