import { hashUnit } from './hash.js';

/** Named rates for `--rate`; being hash-keyed with one seed, each preset's sample contains the smaller ones. */
export const RATE_PRESETS: Readonly<Record<string, number>> = { '10%': 0.1, '25%': 0.25, '50%': 0.5, '100%': 1 };

/** Options of the stream sampler: keep a share `rate` of ids, plus every score at or above `keepAbove`. */
export interface RateOptions {
  rate: number;
  seed?: number;
  keepAbove?: number;
}

/** True iff the id falls in the `rate` share for this seed: hash(seed, id) < rate. Needs no state. */
export function keepAtRate(id: unknown, rate: number, seed = 0): boolean {
  return hashUnit(id, seed) < rate;
}

/**
 * Why a streamed conversation is kept — `high_score` (at or above `keepAbove`) or `rate` — or null when
 * it is dropped. Each decision is independent, so streams of any length and any sharding agree.
 */
export function rateDecision(id: unknown, score: number, options: RateOptions): 'high_score' | 'rate' | null {
  if (options.keepAbove !== undefined && score >= options.keepAbove) return 'high_score';
  return keepAtRate(id, options.rate, options.seed ?? 0) ? 'rate' : null;
}

/** Parses `--rate`: a preset or percentage (`25%`) or a fraction in [0, 1] (`0.25`). */
export function parseRate(text: string): number {
  const preset = RATE_PRESETS[text];
  if (preset !== undefined) return preset;
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
  const rate = pct ? Number(pct[1]) / 100 : Number(text);
  if (text.trim() === '' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new RangeError(`--rate must be a fraction in [0, 1] or a percentage, got "${text}"`);
  }
  return rate;
}
