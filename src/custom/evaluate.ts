import type { Verdict } from './types.js';

/** One compared item: the expected label and the verdict. */
export interface EvalItem {
  expected: string;
  verdict: Verdict;
}

/** Precision, recall and F1 of one label over the decided items (null when nothing was predicted / expected). */
export interface LabelScore {
  precision: number | null;
  recall: number | null;
  f1: number;
  support: number;
}

/** Agreement of a signal's verdicts with expected labels. */
export interface EvalReport {
  /** Items with a label verdict (undecided and error are counted apart, not in the accuracy). */
  n: number;
  undecided: number;
  error: number;
  accuracy: number;
  macro_f1: number;
  labels: string[];
  /** confusion[expected][predicted], predicted including `undecided` and `error`. */
  confusion: Record<string, Record<string, number>>;
  per_label: Record<string, LabelScore>;
  /** Always predicting the most frequent expected label, over the same items. */
  baseline: { label: string; accuracy: number; macro_f1: number };
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

/** Scores verdicts against expected labels; `labels` fixes the order (expected labels outside it are added). */
export function evaluateVerdicts(items: readonly EvalItem[], labels: readonly string[]): EvalReport {
  const all = [...labels];
  for (const item of items) if (!all.includes(item.expected)) all.push(item.expected);
  const confusion: Record<string, Record<string, number>> = {};
  for (const e of all) confusion[e] = Object.fromEntries([...all, 'undecided', 'error'].map((p) => [p, 0]));
  let undecided = 0;
  let error = 0;
  let n = 0;
  let correct = 0;
  for (const { expected, verdict } of items) {
    const predicted = verdict.status === 'labelled' && verdict.label !== null ? verdict.label : verdict.status === 'error' ? 'error' : 'undecided';
    if (predicted === 'undecided') undecided++;
    else if (predicted === 'error') error++;
    else {
      n++;
      if (predicted === expected) correct++;
    }
    confusion[expected][predicted] = (confusion[expected][predicted] ?? 0) + 1;
  }
  const per_label: Record<string, LabelScore> = {};
  for (const label of all) {
    const tp = confusion[label][label];
    let predicted = 0;
    let support = 0;
    for (const e of all) predicted += confusion[e][label];
    for (const p of all) support += confusion[label][p];
    const precision = predicted ? tp / predicted : null;
    const recall = support ? tp / support : null;
    const f1 = precision && recall ? (2 * precision * recall) / (precision + recall) : 0;
    per_label[label] = { precision: precision === null ? null : round(precision), recall: recall === null ? null : round(recall), f1: round(f1), support };
  }
  const scored = all.filter((l) => per_label[l].support > 0);
  const macro = scored.length ? scored.reduce((s, l) => s + per_label[l].f1, 0) / scored.length : 0;
  // Baseline over the decided items: the most frequent expected label among them.
  const counts = new Map<string, number>();
  for (const { expected, verdict } of items) if (verdict.status === 'labelled') counts.set(expected, (counts.get(expected) ?? 0) + 1);
  let majority = all[0] ?? '';
  for (const [label, count] of counts) if (count > (counts.get(majority) ?? 0)) majority = label;
  const share = n ? (counts.get(majority) ?? 0) / n : 0;
  const classes = [...counts.keys()].length || 1;
  return {
    n,
    undecided,
    error,
    accuracy: n ? round(correct / n) : 0,
    macro_f1: round(macro),
    labels: all,
    confusion,
    per_label,
    baseline: { label: majority, accuracy: round(share), macro_f1: round(share ? (2 * share) / (share + 1) / classes : 0) },
  };
}

/** The confusion matrix and scores as Markdown. */
export function formatEvalReport(report: EvalReport, title: string): string {
  const cols = [...report.labels, 'undecided', 'error'].filter((c) => c !== 'undecided' || report.undecided > 0).filter((c) => c !== 'error' || report.error > 0);
  const pct = (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
  const lines = [
    `## ${title}`,
    '',
    `| expected \\ predicted | ${cols.join(' | ')} |`,
    `|---|${cols.map(() => '---:').join('|')}|`,
    ...report.labels.map((e) => `| ${e} | ${cols.map((p) => report.confusion[e]?.[p] ?? 0).join(' | ')} |`),
    '',
    `n = ${report.n} decided${report.undecided ? `, ${report.undecided} undecided` : ''}${report.error ? `, ${report.error} error` : ''}; ` +
      `accuracy ${pct(report.accuracy)}, macro-F1 ${report.macro_f1.toFixed(3)} ` +
      `(always "${report.baseline.label}": accuracy ${pct(report.baseline.accuracy)}, macro-F1 ${report.baseline.macro_f1.toFixed(3)})`,
    '',
    '| label | precision | recall | F1 | support |',
    '|---|---:|---:|---:|---:|',
    ...report.labels.map((l) => {
      const s = report.per_label[l];
      return `| ${l} | ${pct(s.precision)} | ${pct(s.recall)} | ${s.f1.toFixed(3)} | ${s.support} |`;
    }),
    '',
  ];
  return lines.join('\n');
}
