/** One reviewed target: the reviewer's label and a machine judge's label of it. */
export interface ReviewedPair {
  human: string;
  machine: string;
  /** The machine judge that gave it (`rules`, `llm`, `learned`). */
  judge: string;
}

/** How far a judge's labels agree with reviewers' on the same targets. */
export interface Agreement {
  /** Targets both a reviewer and the judge labelled. */
  n: number;
  /** Of those, how many got the same label. */
  agree: number;
  /** `agree / n`; null when `n` is 0. */
  share: number | null;
  /**
   * Cohen's kappa: agreement beyond what the two label distributions give by chance; null when chance agreement
   * is total (every label the same on both sides) or nothing was reviewed.
   */
  kappa: number | null;
  /** `confusion[human][machine]`: counts, over the labels in order (every pair listed, zeros included). */
  confusion: Record<string, Record<string, number>>;
  /** The same per machine judge (a cascade has two). */
  by_judge: Record<string, { n: number; agree: number }>;
}

/** Agreement, Cohen's kappa and the confusion of human vs machine labels over `labels` (pairs outside them are skipped). */
export function reviewAgreement(pairs: readonly ReviewedPair[], labels: readonly string[]): Agreement {
  const confusion: Record<string, Record<string, number>> = {};
  for (const h of labels) {
    confusion[h] = {};
    for (const m of labels) confusion[h][m] = 0;
  }
  const humanTotals = new Map<string, number>();
  const machineTotals = new Map<string, number>();
  const byJudge: Record<string, { n: number; agree: number }> = {};
  let n = 0;
  let agree = 0;
  for (const p of pairs) {
    if (confusion[p.human] === undefined || confusion[p.machine] === undefined) continue;
    n++;
    confusion[p.human][p.machine]++;
    humanTotals.set(p.human, (humanTotals.get(p.human) ?? 0) + 1);
    machineTotals.set(p.machine, (machineTotals.get(p.machine) ?? 0) + 1);
    const j = (byJudge[p.judge] ??= { n: 0, agree: 0 });
    j.n++;
    if (p.human === p.machine) {
      agree++;
      j.agree++;
    }
  }
  let kappa: number | null = null;
  if (n > 0) {
    const observed = agree / n;
    let chance = 0;
    for (const l of labels) chance += ((humanTotals.get(l) ?? 0) / n) * ((machineTotals.get(l) ?? 0) / n);
    if (chance < 1) kappa = (observed - chance) / (1 - chance);
  }
  return { n, agree, share: n === 0 ? null : agree / n, kappa, confusion, by_judge: byJudge };
}
