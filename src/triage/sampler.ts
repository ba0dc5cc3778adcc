import { BoundedHeap } from './heap.js';
import { hashUnit, idKey, TIE_SEED } from './hash.js';

/** One scored conversation offered to a sampler. */
export interface Candidate {
  id: unknown;
  score: number;
  reasons: readonly string[];
  /** Categories present in the conversation (for quotas), e.g. `loops`, `escalation`. */
  categories: readonly string[];
}

/** A chosen conversation; `reasons[0]` says how it was chosen: `score`, `quota:<category>` or `random`. */
export interface Selection {
  id: unknown;
  score: number;
  reasons: string[];
}

/** Budgeted sampling: `budget` conversations, quotas first, then by score, then a random share. */
export interface SamplerOptions {
  budget: number;
  /** Seed of the random share (default 0). */
  seed?: number;
  /** Share of the budget chosen at random so clean-looking traffic is still seen (default 0.1). */
  randomShare?: number;
  /** At least this many conversations with each category (as far as the input has them). */
  quotas?: Readonly<Record<string, number>>;
}

interface Keyed {
  c: Candidate;
  key: string;
  tie: number;
  rnd: number;
}

// Score first, then the seed-independent id hash, then the id text (only on a 53-bit hash collision):
// a total order, so the kept set never depends on arrival order or on how the input was split.
function byScore(a: Keyed, b: Keyed): number {
  return b.c.score - a.c.score || a.tie - b.tie || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

function byRandom(a: Keyed, b: Keyed): number {
  return a.rnd - b.rnd || byScore(a, b);
}

/**
 * Deterministic top-k sampler with bounded memory (O(budget + Σ quotas) candidates). Shards sampled
 * separately and merged give the same selection as one pass, whatever the order of the input.
 */
export class BudgetSampler {
  private readonly seed: number;
  private readonly randomSlots: number;
  private readonly quotas: [string, number][];
  private readonly top: BoundedHeap<Keyed>;
  private readonly random: BoundedHeap<Keyed>;
  private readonly perQuota: Map<string, BoundedHeap<Keyed>>;

  /** A sampler for `options.budget` conversations. */
  constructor(options: SamplerOptions) {
    const budget = Math.max(0, Math.floor(options.budget));
    this.seed = options.seed ?? 0;
    this.randomSlots = Math.round(budget * (options.randomShare ?? 0.1));
    this.quotas = Object.entries(options.quotas ?? {})
      .filter(([, n]) => n > 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // Each heap holds `budget` so that, after removing what earlier stages took, enough remain.
    this.top = new BoundedHeap(budget, byScore);
    this.random = new BoundedHeap(budget, byRandom);
    this.perQuota = new Map(this.quotas.map(([cat, n]) => [cat, new BoundedHeap(Math.min(n, budget), byScore)]));
  }

  /** Offers one conversation; ids are expected to be unique in the input. */
  offer(candidate: Candidate): void {
    this.offerKeyed({
      c: candidate,
      key: idKey(candidate.id),
      tie: hashUnit(candidate.id, TIE_SEED),
      rnd: hashUnit(candidate.id, this.seed),
    });
  }

  /** Folds another sampler with the same options (e.g. another worker's shard) into this one. */
  merge(other: BudgetSampler): void {
    // A conversation can sit in several of the other's heaps; offer it once.
    const kept = new Map<string, Keyed>();
    for (const k of other.top.sorted()) kept.set(k.key, k);
    for (const k of other.random.sorted()) kept.set(k.key, k);
    for (const heap of other.perQuota.values()) for (const k of heap.sorted()) kept.set(k.key, k);
    for (const k of kept.values()) this.offerKeyed(k);
  }

  /** The selection: quota picks, then the best scores, then the random share; at most `budget` items. */
  select(): Selection[] {
    const budget = this.top.capacity;
    const chosen = new Map<string, { k: Keyed; route: string }>();
    for (const [cat, n] of this.quotas) {
      // Conversations chosen for an earlier quota count towards this one when they have the category.
      let have = 0;
      for (const { k } of chosen.values()) if (k.c.categories.includes(cat)) have++;
      for (const k of this.perQuota.get(cat)!.sorted()) {
        if (have >= n || chosen.size >= budget) break;
        if (chosen.has(k.key)) continue;
        chosen.set(k.key, { k, route: `quota:${cat}` });
        have++;
      }
    }
    const scoredEnd = budget - Math.min(this.randomSlots, budget - chosen.size);
    for (const k of this.top.sorted()) {
      if (chosen.size >= scoredEnd) break;
      if (!chosen.has(k.key)) chosen.set(k.key, { k, route: 'score' });
    }
    for (const k of this.random.sorted()) {
      if (chosen.size >= budget) break;
      if (!chosen.has(k.key)) chosen.set(k.key, { k, route: 'random' });
    }
    return [...chosen.values()].map(({ k, route }) => ({ id: k.c.id, score: k.c.score, reasons: [route, ...k.c.reasons] }));
  }

  private offerKeyed(k: Keyed): void {
    this.top.offer(k);
    this.random.offer(k);
    for (const [cat, heap] of this.perQuota) if (k.c.categories.includes(cat)) heap.offer(k);
  }
}
