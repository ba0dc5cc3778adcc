/**
 * One circuit breaker per LLM provider. A provider whose calls fail `threshold` times in a row (5xx, 429, no
 * answer before the timeout, connection failed) is paused with that reason until `until`; then one call is let
 * through (half-open): it closes the breaker on success, or pauses the provider again for twice as long (up to
 * `maxPauseMs`). Paused providers' jobs wait in the store; nothing else waits for them.
 */
import type { SignalDefinition } from '../custom/definition.js';
import { type Provider, providerFor, type Providers } from '../custom/llm/providers.js';

/** Why and until when a provider is paused (what the API, CLI and dashboard show). */
export interface ProviderPause {
  reason: string;
  /** Unix ms when one call will be tried again. */
  until: number;
}

/** Breaker settings. */
export interface BreakerOptions {
  /** Failures in a row that pause a provider (default 3). */
  threshold?: number;
  /** First pause (default 30 s), doubled on each failed retry. */
  pauseMs?: number;
  /** Longest pause (default 10 min). */
  maxPauseMs?: number;
}

interface BreakerState {
  failures: number;
  lastReason: string;
  pause: ProviderPause | null;
  pauseMs: number;
  /** A half-open trial call is out. */
  probing: boolean;
}

/** The breakers of every provider, by provider name. */
export class ProviderBreakers {
  private readonly states = new Map<string, BreakerState>();
  private readonly threshold: number;
  private readonly pauseMs: number;
  private readonly maxPauseMs: number;

  constructor(
    private readonly now: () => number,
    options: BreakerOptions = {},
  ) {
    this.threshold = options.threshold ?? 3;
    this.pauseMs = options.pauseMs ?? 30_000;
    this.maxPauseMs = options.maxPauseMs ?? 600_000;
  }

  private state(provider: string): BreakerState {
    let s = this.states.get(provider);
    if (s === undefined) {
      s = { failures: 0, lastReason: '', pause: null, pauseMs: this.pauseMs, probing: false };
      this.states.set(provider, s);
    }
    return s;
  }

  /** The pause of a provider (also while its half-open trial call is out), or undefined when it may be called. */
  paused(provider: string): ProviderPause | undefined {
    const s = this.states.get(provider);
    if (s?.pause == null) return undefined;
    return s.probing || this.now() < s.pause.until ? s.pause : undefined;
  }

  /**
   * How many calls may start now: `free` when closed, 1 for the trial call of a pause that has run out (and
   * that call is then counted as out), 0 while paused.
   */
  admit(provider: string, free: number): number {
    const s = this.state(provider);
    if (s.pause === null) return free;
    if (s.probing || this.now() < s.pause.until || free < 1) return 0;
    s.probing = true;
    return 1;
  }

  /** A call answered (any status below 500 but 429): the provider works. */
  succeeded(provider: string): void {
    const s = this.state(provider);
    s.failures = 0;
    s.pause = null;
    s.probing = false;
    s.pauseMs = this.pauseMs;
  }

  /** A call failed for a reason of the provider's (fixed text, never a body). */
  failed(provider: string, reason: string): void {
    const s = this.state(provider);
    s.failures++;
    s.lastReason = reason;
    if (s.pause !== null && s.probing) {
      // The trial call failed: pause again, for longer.
      s.pauseMs = Math.min(s.pauseMs * 2, this.maxPauseMs);
      s.pause = { reason: `${reason} (${s.failures} failures in a row; the retry failed)`, until: this.now() + s.pauseMs };
      s.probing = false;
    } else if (s.pause === null && s.failures >= this.threshold) {
      s.pause = { reason: `${reason} (${s.failures} failures in a row)`, until: this.now() + s.pauseMs };
    }
  }

  /** A trial call ended without reaching the provider (the job had nothing to send): let another try. */
  released(provider: string): void {
    const s = this.states.get(provider);
    if (s !== undefined) s.probing = false;
  }

  /** Every paused provider. */
  pauses(): Map<string, ProviderPause> {
    const out = new Map<string, ProviderPause>();
    for (const name of this.states.keys()) {
      const p = this.paused(name);
      if (p !== undefined) out.set(name, p);
    }
    return out;
  }
}

/** The operator provider a signal's LLM work goes to (its `llm.provider`, else `default`), or undefined when none matches. */
export function providerOf(definition: SignalDefinition, providers: Providers): Provider | undefined {
  const found = providerFor((definition as { llm?: unknown }).llm, providers);
  return found instanceof Error ? undefined : found;
}

/** A provider's calls for one piece of work: its fetch feeds the breaker and remembers whether the provider failed. */
export interface ProviderCalls {
  fetch: typeof fetch;
  /** The last call failed for a reason of the provider's (so an error verdict is the provider's, not the target's). */
  faulted: boolean;
  /** Calls that failed for a reason of the provider's. */
  failures: number;
}

/**
 * Wraps `base` so every call to `provider` updates its breaker; while it is paused calls fail at once, except the
 * first call of the `trial` job `admit` let through.
 */
export function providerCalls(
  breakers: ProviderBreakers,
  provider: string,
  base: typeof fetch = (input, init) => globalThis.fetch(input, init),
  trial = false,
): ProviderCalls {
  let mayProbe = trial;
  const fault = (reason: string | null): void => {
    calls.faulted = true;
    calls.failures++;
    if (reason !== null) breakers.failed(provider, reason);
  };
  const calls: ProviderCalls = {
    faulted: false,
    failures: 0,
    fetch: async (input, init) => {
      const pause = breakers.paused(provider);
      if (pause !== undefined && !mayProbe) {
        fault(null);
        throw new Error(`provider ${provider} is paused: ${pause.reason}`);
      }
      mayProbe = false;
      let response: Response;
      try {
        response = await base(input, init);
      } catch (e) {
        fault(init?.signal?.aborted ? 'no answer before the timeout' : 'connection failed');
        throw e;
      }
      if (response.status >= 500 || response.status === 429) {
        fault(`HTTP ${response.status}`);
      } else {
        calls.faulted = false;
        breakers.succeeded(provider);
      }
      return response;
    },
  };
  return calls;
}
