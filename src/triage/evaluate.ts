import { hashUnit, idKey, TIE_SEED } from './hash.js';
import { auroc, bootstrapAuroc, bootstrapPrecision, budgetSize, precisionAtK, randomPrecisionInterval, type Interval } from './metrics.js';

/** One labelled conversation as `signals eval` sees it. */
export interface EvalRow {
  id: unknown;
  /** `meta.source`, or `unknown`. */
  source: string;
  failed: boolean;
  /** Triage score under the evaluated profile. */
  score: number;
  /** The reference baseline: bucket rank, ties by signal count (the `reference` profile). */
  referenceScore: number;
  /** Leaf signal types and triage categories present, e.g. `execution.loops.retry`, `triage.pushback`. */
  signalTypes: readonly string[];
}

/** How often conversations carrying one signal type failed. */
export interface SignalTypeRow {
  type: string;
  conversations: number;
  failures: number;
  failure_rate: number;
  /** failure_rate / base_rate. */
  lift: number;
}

/** Precision at one review budget (share of all conversations) for triage, the baseline and random. */
export interface CurvePoint {
  budget: number;
  triage: number;
  reference: number;
  random: number;
}

/** The figures for one set of conversations. */
export interface EvalFigures {
  n: number;
  failures: number;
  base_rate: number;
  /** Conversations in the first 10% (the precision_at_10 budget). */
  k: number;
  auroc: number | null;
  /** Bootstrap 95% interval of the AUROC. */
  auroc_ci: Interval | null;
  /** Share of failures among the 10% triage reviews first. */
  precision_at_10: number;
  precision_at_10_ci: Interval;
  /** Expected precision of a random 10% (the base rate) and its 95% interval. */
  random_precision_at_10: number;
  random_precision_at_10_ci: Interval;
  /** precision_at_10 / base_rate. */
  lift: number;
  /** The reference's quality bucket as the ranking. */
  reference: {
    auroc: number | null;
    auroc_ci: Interval | null;
    precision_at_10: number;
    precision_at_10_ci: Interval;
    lift: number;
  };
  curve: CurvePoint[];
  signal_types: SignalTypeRow[];
}

/** Figures for all conversations together plus per `meta.source`. */
export interface EvalReport extends EvalFigures {
  by_source: Record<string, EvalFigures>;
}

const r4 = (x: number): number => Math.round(x * 10000) / 10000;
const r4i = ([a, b]: Interval): Interval => [r4(a), r4(b)];
const CURVE_BUDGETS = Array.from({ length: 20 }, (_, i) => (i + 1) / 20);

/** Failure flags in review order: score descending, ties by the same id hash the sampler uses. */
function reviewOrder(rows: readonly EvalRow[], score: (r: EvalRow) => number): boolean[] {
  const keyed = rows.map((r) => ({ s: score(r), tie: hashUnit(r.id, TIE_SEED), key: idKey(r.id), failed: r.failed }));
  keyed.sort((a, b) => b.s - a.s || a.tie - b.tie || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.failed);
}

function signalTable(rows: readonly EvalRow[], baseRate: number): SignalTypeRow[] {
  const tally = new Map<string, { conversations: number; failures: number }>();
  for (const row of rows) {
    for (const type of new Set(row.signalTypes)) {
      const t = tally.get(type) ?? { conversations: 0, failures: 0 };
      t.conversations++;
      if (row.failed) t.failures++;
      tally.set(type, t);
    }
  }
  return [...tally.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([type, t]) => ({
      type,
      ...t,
      failure_rate: r4(t.failures / t.conversations),
      lift: baseRate > 0 ? r4(t.failures / t.conversations / baseRate) : 0,
    }));
}

/** Metrics of one group of labelled conversations (bootstrap with fixed seeds: reproducible). */
export function evaluateGroup(rows: readonly EvalRow[]): EvalFigures {
  const n = rows.length;
  const failed = rows.map((r) => r.failed);
  const failures = failed.filter(Boolean).length;
  const baseRate = n > 0 ? failures / n : 0;
  const k = budgetSize(n, 0.1);
  const triage = reviewOrder(rows, (r) => r.score);
  const reference = reviewOrder(rows, (r) => r.referenceScore);
  const lift = (p: number) => (baseRate > 0 ? r4(p / baseRate) : 0);
  const p10 = precisionAtK(triage, k);
  const ref10 = precisionAtK(reference, k);
  const roc = (xs: number[]) => {
    const a = auroc(xs, failed);
    return a === null ? null : r4(a);
  };
  const rocCi = (xs: number[]) => {
    const ci = bootstrapAuroc(xs, failed);
    return ci === null ? null : r4i(ci);
  };
  const scores = rows.map((r) => r.score);
  const referenceScores = rows.map((r) => r.referenceScore);
  return {
    n,
    failures,
    base_rate: r4(baseRate),
    k,
    auroc: roc(scores),
    auroc_ci: rocCi(scores),
    precision_at_10: r4(p10),
    precision_at_10_ci: r4i(bootstrapPrecision(triage, 0.1)),
    random_precision_at_10: r4(baseRate),
    random_precision_at_10_ci: r4i(randomPrecisionInterval(failed, k)),
    lift: lift(p10),
    reference: {
      auroc: roc(referenceScores),
      auroc_ci: rocCi(referenceScores),
      precision_at_10: r4(ref10),
      precision_at_10_ci: r4i(bootstrapPrecision(reference, 0.1)),
      lift: lift(ref10),
    },
    curve: CURVE_BUDGETS.map((budget) => ({
      budget,
      triage: r4(precisionAtK(triage, budgetSize(n, budget))),
      reference: r4(precisionAtK(reference, budgetSize(n, budget))),
      random: r4(baseRate),
    })),
    signal_types: signalTable(rows, baseRate),
  };
}

/** Metrics for all rows together and for each source (sources in name order). */
export function evaluate(rows: readonly EvalRow[]): EvalReport {
  const bySource = new Map<string, EvalRow[]>();
  for (const row of rows) {
    const list = bySource.get(row.source) ?? [];
    list.push(row);
    bySource.set(row.source, list);
  }
  const names = [...bySource.keys()].sort();
  return {
    ...evaluateGroup(rows),
    by_source: Object.fromEntries(names.map((name) => [name, evaluateGroup(bySource.get(name)!)])),
  };
}
