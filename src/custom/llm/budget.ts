/**
 * Request, token and dollar caps for one run of a signal's LLM work, and per UTC day. A request is let through
 * only if it fits every cap counting what is already in flight (estimated input tokens and their price), so
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

/** Persistent per-day totals of one signal's LLM spend (the store implements it; `MemoryUsageLedger` for tests). */
export interface UsageLedger {
  /** Totals for a UTC day `YYYY-MM-DD`. */
  get(day: string): Promise<Usage>;
  add(day: string, delta: Usage): Promise<void>;
}

/** Which cap was hit. */
export interface BudgetExceeded {
  scope: 'run' | 'day';
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

/** In-memory day totals. */
export class MemoryUsageLedger implements UsageLedger {
  readonly days = new Map<string, Usage>();
  async get(day: string): Promise<Usage> {
    return { ...(this.days.get(day) ?? { requests: 0, tokens: 0, usd: 0 }) };
  }
  async add(day: string, delta: Usage): Promise<void> {
    const u = this.days.get(day) ?? { requests: 0, tokens: 0, usd: 0 };
    this.days.set(day, { requests: u.requests + delta.requests, tokens: u.tokens + delta.tokens, usd: u.usd + delta.usd });
  }
}

const zero = (): Usage => ({ requests: 0, tokens: 0, usd: 0 });
const fmt = (limit: BudgetExceeded['limit'], v: number): string =>
  limit === 'usd' ? `$${v.toFixed(4)}` : `${Math.round(v)} ${limit}`;

/** Options of `createLlmBudget`. */
export interface LlmBudgetOptions {
  caps: BudgetCaps;
  /** Concurrent requests allowed for the run. */
  maxConcurrency: number;
  ledger?: UsageLedger;
  now?: () => number;
}

/** The shared state of one run: caps, counters, pause reason and the concurrency semaphore. */
export class LlmBudget {
  readonly semaphore: Semaphore;
  readonly run: Usage = zero();
  #inFlight: Usage = zero();
  #day: { key: string; usage: Usage } | null = null;
  #paused: BudgetExceeded | null = null;
  readonly #caps: BudgetCaps;
  readonly #ledger: UsageLedger;
  readonly #now: () => number;

  constructor(options: LlmBudgetOptions) {
    this.#caps = options.caps;
    this.semaphore = new Semaphore(options.maxConcurrency);
    this.#ledger = options.ledger ?? new MemoryUsageLedger();
    this.#now = options.now ?? Date.now;
  }

  /** Why the budget stopped, or `null` while it runs. */
  get paused(): BudgetExceeded | null {
    return this.#paused;
  }

  async #dayUsage(): Promise<Usage> {
    const key = new Date(this.#now()).toISOString().slice(0, 10);
    if (this.#day?.key !== key) {
      this.#day = { key, usage: await this.#ledger.get(key) };
      // A new day lifts a day cap; a run cap stays.
      if (this.#paused?.scope === 'day') this.#paused = null;
    }
    return this.#day.usage;
  }

  /**
   * Books one request of about `estimate` (input tokens and their cost) against every cap, or throws
   * `BudgetExceededError` (and pauses) when it would not fit.
   */
  async reserve(estimate: { tokens: number; usd: number }): Promise<Reservation> {
    const day = await this.#dayUsage();
    if (this.#paused) throw new BudgetExceededError(this.#paused);
    const f = this.#inFlight;
    const checks: Array<[BudgetExceeded['scope'], BudgetExceeded['limit'], number, number, number]> = [
      ['run', 'requests', this.#caps.requestsPerRun, this.run.requests, this.run.requests + f.requests + 1],
      ['run', 'tokens', this.#caps.tokensPerRun, this.run.tokens, this.run.tokens + f.tokens + estimate.tokens],
      ['run', 'usd', this.#caps.usdPerRun, this.run.usd, this.run.usd + f.usd + estimate.usd],
      ['day', 'requests', this.#caps.requestsPerDay, day.requests, day.requests + f.requests + 1],
      ['day', 'usd', this.#caps.usdPerDay, day.usd, day.usd + f.usd + estimate.usd],
    ];
    for (const [scope, limit, cap, used, next] of checks) {
      if (next > cap) {
        const reason =
          `${scope === 'run' ? 'run' : 'daily'} LLM budget reached: ${fmt(limit, used)} used of ${fmt(limit, cap)}` +
          (used < cap ? ' (the next request would exceed it)' : '');
        this.#paused = { scope, limit, cap, used, reason };
        throw new BudgetExceededError(this.#paused);
      }
    }
    const held: Usage = { requests: 1, tokens: estimate.tokens, usd: estimate.usd };
    this.#inFlight = { requests: f.requests + 1, tokens: f.tokens + held.tokens, usd: f.usd + held.usd };
    const dayKey = this.#day!.key;
    let settled = false;
    return {
      settle: async (actual) => {
        if (settled) return;
        settled = true;
        const g = this.#inFlight;
        this.#inFlight = { requests: g.requests - 1, tokens: g.tokens - held.tokens, usd: g.usd - held.usd };
        this.run.requests += actual.requests;
        this.run.tokens += actual.tokens;
        this.run.usd += actual.usd;
        if (this.#day?.key === dayKey) {
          this.#day.usage.requests += actual.requests;
          this.#day.usage.tokens += actual.tokens;
          this.#day.usage.usd += actual.usd;
        }
        await this.#ledger.add(dayKey, actual);
      },
    };
  }
}

/** One budget per run: pass the same object to every `judgeWithLlm` call of the run. */
export function createLlmBudget(options: LlmBudgetOptions): LlmBudget {
  return new LlmBudget(options);
}
