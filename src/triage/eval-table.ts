import type { EvalFigures, EvalReport } from './evaluate.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const num = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));
const ci = ([lo, hi]: [number, number]): string => `[${pct(lo)}, ${pct(hi)}]`;
const rocCi = (interval: [number, number] | null): string => (interval === null ? '' : `[${num(interval[0])}, ${num(interval[1])}]`);

function summaryRow(name: string, f: EvalFigures): string {
  return (
    `| ${name} | ${f.n} | ${f.failures} | ${pct(f.base_rate)} | ${num(f.auroc)} ${rocCi(f.auroc_ci)} | ${num(f.reference.auroc)} | ` +
    `${pct(f.precision_at_10)} ${ci(f.precision_at_10_ci)} | ${pct(f.reference.precision_at_10)} | ` +
    `${pct(f.random_precision_at_10)} ${ci(f.random_precision_at_10_ci)} | ${f.lift.toFixed(2)}× | ${f.reference.lift.toFixed(2)}× |`
  );
}

/**
 * The eval result as Markdown tables: one row per source and one for all together (triage profile vs
 * reference bucket vs random at a 10% review budget), then failure rates per signal type.
 */
export function formatEvalTable(report: EvalReport, profile: string, label: string): string {
  const lines = [
    `Triage profile \`${profile}\` vs the reference quality bucket vs random, against \`meta.${label}\` = false.`,
    '',
    '| source | n | failed | base rate | AUROC triage [95% CI] | AUROC reference | precision@10% triage [95% CI] | precision@10% reference | precision@10% random [95% CI] | lift triage | lift reference |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...Object.entries(report.by_source).map(([name, f]) => summaryRow(name, f)),
    summaryRow('**all**', report),
    '',
    '| signal type | conversations | failed | failure rate | vs base rate |',
    '|---|---:|---:|---:|---:|',
    ...report.signal_types.map(
      (s) => `| ${s.type} | ${s.conversations} | ${s.failures} | ${pct(s.failure_rate)} | ${s.lift.toFixed(2)}× |`,
    ),
  ];
  return lines.join('\n') + '\n';
}
