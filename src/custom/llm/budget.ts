/**
 * Request, token and dollar caps for one run of a signal's LLM work, per signal and UTC day, and per provider and
 * UTC day. A request is let through only if it fits every cap counting what is already in flight (estimated input
 * tokens and their price), booked on a ledger its sharers all see (the store's, in the service: every replica), so
 * concurrent calls cannot overshoot. A cap reached pauses the budget: every later call throws
 * `BudgetExceededError` with the same stated reason, and the caller keeps the target for later (never drops it).
 */
import type { BudgetCaps } from './config.js';
import { Semaphore } from './semaphore.js';

/** What was spent. */
export interface Usage {
  requests: number;
  tokens: number;
  usd: number;
}

/**
 * An account spend is booked on: whose (`signal:ID`, `provider:NAME`, `run:ID`), which UTC day (`YYYY-MM-DD`; ''
 * for a run's whole life), and its caps (`Infinity`: none).
 */
export interface UsageAccount {
  account: string;
  day: string;
  caps: Usage;
}

/**
 * Spend per account, shared by everything that books on it: the store's in the service (every replica books on the
 * same rows), `MemoryUsageLedger` in one process.
 */
export interface UsageLedger {
  /**
   * Books `delta` on every account if none would pass a cap with it; else books nothing and returns the first account
   * that would, with what it holds. Atomic per account, so concurrent takers (replicas) never pass a cap together.
   */
  take(accounts: UsageAccount[], delta: Usage): Promise<{ account: UsageAccount; used: Usage } | null>;
  /** Adds `delta` (negative to give some back) to every account. */
  add(accounts: UsageAccount[], delta: Usage): Promise<void>;
}

/** The first limit of `caps` that `used + delta` passes (requests, tokens, dollars), or null. */
export function capPassed(caps: Usage, used: Usage, delta: Usage): keyof Usage | null {
  for (const limit of ['requests', 'tokens', 'usd'] as const) if (used[limit] + delta[limit] > caps[limit]) return limit;
  return null;
}

/** Which cap was hit. */
export interface BudgetExceeded {
  scope: 'run' | 'day';
  /** The ledger account whose cap it is (`signal:ID`, `provider:NAME`, `run:ID`, or this budget's own). */
  account: string;
  /** The UTC day of a day cap (a new day lifts it). */
  day: string;
  limit: 'requests' | 'tokens' | 'usd';
  cap: number;
  used: number;
  /** One sentence for the run's `error` field, e.g. `run budget reached: 100 of 100 requests`. */
  reason: string;
}

/** Thrown by the judge when a cap is reached. The service records `reason` and pauses the signal's LLM work. */
export class BudgetExceededError extends Error {
  override readonly name = 'BudgetExceededError';
  constructor(readonly detail: BudgetExceeded) {
    super(detail.reason);
  }
}

/** True for a `BudgetExceededError` (also across bundle copies, by name). */
export function isBudgetExceeded(error: unknown): error is BudgetExceededError {
  return error instanceof BudgetExceededError || (error instanceof Error && error.name === 'BudgetExceededError');
}

/** A slot granted by `reserve`; `settle` books the real usage (or nothing, when the request never ran). */
export interface Reservation {
  settle(actual: Usage): Promise<void>;
}

/** Spend per account in this process. */
export class MemoryUsageLedger implements UsageLedger {
  readonly #accounts = new Map<string, Usage>();
  /** What `account` holds on `day`. */
  get(account: string, day: string): Usage {
    return { ...(this.#accounts.get(`${account}\0${day}`) ?? zero()) };
  }
  async take(accounts: UsageAccount[], delta: Usage): Promise<{ account: UsageAccount; used: Usage } | null> {
    for (const a of accounts) {
      const used = this.get(a.account, a.day);
      if (capPassed(a.caps, used, delta) !== null) return { account: a, used };
    }
    await this.add(accounts, delta);
    return null;
  }
  async add(accounts: UsageAccount[], delta: Usage): Promise<void> {
    for (const a of accounts) {
      const u = this.get(a.account, a.day);
      this.#accounts.set(`${a.account}\0${a.day}`, { requests: u.requests + delta.requests, tokens: u.tokens + delta.tokens, usd: u.usd + delta.usd });
    }
  }
}

const zero = (): Usage => ({ requests: 0, tokens: 0, usd: 0 });
const fmt = (limit: BudgetExceeded['limit'], v: number): string =>
  limit === 'usd' ? `$${v.toFixed(4)}` : `${Math.round(v)} ${limit}`;
/** The UTC day of a time, as accounts name it. */
export const utcDay = (at: number): string => new Date(at).toISOString().slice(0, 10);

/** Unix ms of the midnight UTC that ends `day` (`YYYY-MM-DD`): when its day caps lift. */
export const dayEnd = (day: string): number => Date.parse(`${day}T00:00:00Z`) + 86_400_000;

/**
 * The sentence a reached cap states, e.g. `daily LLM budget of provider default reached: $0.3000 used of $0.3500`
 * (`of` names the provider's account; '' for a signal's or a run's).
 */
export function capReason(scope: 'run' | 'day', of: string, limit: BudgetExceeded['limit'], used: number, cap: number): string {
  return (
    `${scope === 'run' ? 'run' : 'daily'} LLM budget${of === '' ? '' : ` of provider ${of}`} reached: ${fmt(limit, used)} used of ${fmt(limit, cap)}` +
    (used < cap ? ' (the next request would exceed it)' : '')
  );
}

/** Which day cap holds an account, with what it used of it. */
export interface DayHold {
  limit: 'requests' | 'usd';
  used: number;
  cap: number;
}

/**
 * Whether a day account's caps hold it: what it `used` reached a cap, or the last request refused on that day
 * (`refused`: what it would have brought the account to) would still pass the cap in force (a cap raised since lets
 * it go). Undefined when the next request may be sent.
 */
export function dayHold(caps: { requests: number; usd: number }, used: Usage, refused?: Usage): DayHold | undefined {
  for (const limit of ['requests', 'usd'] as const) {
    const cap = caps[limit];
    if (cap === Infinity) continue;
    if (used[limit] >= cap || (refused !== undefined && refused[limit] > cap)) return { limit, used: used[limit], cap };
  }
  return undefined;
}

/** Options of `createLlmBudget`. */
export interface LlmBudgetOptions {
  caps: BudgetCaps;
  /** Concurrent requests allowed for the run. */
  maxConcurrency: number;
  /** Where the named owners' spend is booked (default: this budget's own, in memory). */
  ledger?: UsageLedger;
  now?: () => number;
  /**
   * Whose spend it is, naming the ledger accounts: the signal's id (its day caps), the provider's name (its day cap
   * across signals), the backfill run's id (the run caps; `null`: not a run, no run caps). One left out (or all):
   * this budget's own account, booked in its own memory (an unsaved signal's test is one run of its own).
   */
  owners?: { signal?: string; provider?: string; run?: string | null };
}

/**
 * The shared state of one run: caps, pause reason and the concurrency semaphore. Every request books its estimate on
 * the ledger's accounts before it is sent (refused past a cap, counting what is in flight everywhere the ledger is
 * shared) and its real usage when it ends.
 */
export class LlmBudget {
  readonly semaphore: Semaphore;
  /** What this budget's requests spent. */
  readonly run: Usage = zero();
  #paused: BudgetExceeded | null = null;
  readonly #caps: BudgetCaps;
  readonly #ledger: UsageLedger;
  /** The accounts no one else shares (this budget's own): never written to a shared ledger. */
  readonly #mine = new MemoryUsageLedger();
  readonly #now: () => number;
  readonly #owners: NonNullable<LlmBudgetOptions['owners']> | undefined;
  readonly #own = crypto.randomUUID();

  constructor(options: LlmBudgetOptions) {
    this.#caps = options.caps;
    this.semaphore = new Semaphore(options.maxConcurrency);
    this.#ledger = options.ledger ?? new MemoryUsageLedger();
    this.#now = options.now ?? Date.now;
    this.#owners = options.owners;
  }

  /** Why the budget stopped, or `null` while it runs. */
  get paused(): BudgetExceeded | null {
    return this.#paused;
  }

  /**
   * The capped accounts a request books on, on `day`: `mine` (this budget's own, in its memory) and `shared` (named
   * by the owners, on the ledger).
   */
  #accounts(day: string): { mine: UsageAccount[]; shared: UsageAccount[] } {
    const c = this.#caps;
    const o = this.#owners;
    const mine: UsageAccount[] = [];
    const shared: UsageAccount[] = [];
    const book = (kind: string, owner: string | undefined, accountDay: string, caps: Usage): void => {
      // Only capped accounts are booked: an uncapped one would cost a write per request for nothing.
      if (caps.requests === Infinity && caps.tokens === Infinity && caps.usd === Infinity) return;
      (owner === undefined ? mine : shared).push({ account: `${kind}:${owner ?? this.#own}`, day: accountDay, caps });
    };
    if (o?.run !== null) book('run', o?.run, '', { requests: c.requestsPerRun, tokens: c.tokensPerRun, usd: c.usdPerRun });
    book('signal', o?.signal, day, { requests: c.requestsPerDay, tokens: Infinity, usd: c.usdPerDay });
    book('provider', o?.provider, day, { requests: Infinity, tokens: Infinity, usd: c.providerUsdPerDay });
    return { mine, shared };
  }

  /**
   * Books one request of about `estimate` (input tokens and their cost) against every cap, or throws
   * `BudgetExceededError` (and pauses) when it would not fit.
   */
  async reserve(estimate: { tokens: number; usd: number }): Promise<Reservation> {
    const day = utcDay(this.#now());
    // A new day lifts a day cap; a run cap stays.
    if (this.#paused?.scope === 'day' && this.#paused.day !== day) this.#paused = null;
    if (this.#paused) throw new BudgetExceededError(this.#paused);
    const { mine, shared } = this.#accounts(day);
    const held: Usage = { requests: 1, tokens: estimate.tokens, usd: estimate.usd };
    let refused = mine.length === 0 ? null : await this.#mine.take(mine, held);
    if (refused === null && shared.length > 0) {
      refused = await this.#ledger.take(shared, held);
      if (refused !== null && mine.length > 0) await this.#mine.add(mine, { requests: -held.requests, tokens: -held.tokens, usd: -held.usd });
    }
    if (refused !== null) {
      const { account, used } = refused;
      const limit = capPassed(account.caps, used, held)!;
      const scope = account.day === '' ? 'run' : 'day';
      const of = this.#owners?.provider !== undefined && account.account.startsWith('provider:') ? this.#owners.provider : '';
      const cap = account.caps[limit];
      const reason = capReason(scope, of, limit, used[limit], cap);
      this.#paused = { scope, account: account.account, day: account.day, limit, cap, used: used[limit], reason };
      throw new BudgetExceededError(this.#paused);
    }
    let settled = false;
    return {
      settle: async (actual) => {
        if (settled) return;
        settled = true;
        this.run.requests += actual.requests;
        this.run.tokens += actual.tokens;
        this.run.usd += actual.usd;
        // The estimate was booked: book the difference.
        const diff = { requests: actual.requests - held.requests, tokens: actual.tokens - held.tokens, usd: actual.usd - held.usd };
        if (diff.requests === 0 && diff.tokens === 0 && diff.usd === 0) return;
        if (mine.length > 0) await this.#mine.add(mine, diff);
        if (shared.length > 0) await this.#ledger.add(shared, diff);
      },
    };
  }
}

/** One budget per run: pass the same object to every `judgeWithLlm` call of the run. */
export function createLlmBudget(options: LlmBudgetOptions): LlmBudget {
  return new LlmBudget(options);
}
