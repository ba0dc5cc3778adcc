import type { SignalDefinition } from './definition.js';
import { labelNames } from './definition.js';
import { filterMismatch } from './filter.js';
import { judge } from './judge.js';
import { isBudgetExceeded } from './llm/budget.js';
import { hasReadableMessage } from './readable.js';
import { sampleUnit } from './sample.js';
import type { JudgeContext, JudgeCost, Target } from './types.js';

/** Most targets one test run classifies. */
export const MAX_TEST_SAMPLE = 100;

/** One classified target of a test run. */
export interface TestRow {
  kind: Target['kind'];
  id: string;
  /** `skipped` when the signal's agent or filter excludes the target (it would not be labelled live). */
  status: 'labelled' | 'undecided' | 'error' | 'skipped';
  label: string | null;
  explanation: string;
  judge: 'rules' | 'llm' | 'learned' | null;
  cost: JudgeCost;
}

/** What a test run shows: how many of each label (and of undecided / error / skipped), one row per target. */
export interface TestResult {
  signal: string;
  n: number;
  distribution: Record<string, number>;
  rows: TestRow[];
  /** Targets with no readable message: not judged, no row. */
  unreadable: number;
  cost: JudgeCost;
}

/** Inputs of a test run. `targets` is where they come from: files today, the store once it exists. */
export interface TestSignalInput {
  definition: SignalDefinition;
  targets: Iterable<Target> | AsyncIterable<Target>;
  /** How many targets (1 to 100): the ones with the lowest sampling unit, so a larger sample contains a smaller one. */
  sample: number;
  context?: JudgeContext;
}

/**
 * Classifies a sample of targets synchronously (awaiting every verdict) and returns the label distribution
 * and a row per target. The same function serves `signals test`, `POST /v1/signals/test` and library users.
 */
export async function testSignal(input: TestSignalInput): Promise<TestResult> {
  const { definition } = input;
  if (!Number.isInteger(input.sample) || input.sample < 1 || input.sample > MAX_TEST_SAMPLE) {
    throw new RangeError(`sample must be an integer from 1 to ${MAX_TEST_SAMPLE}, got ${input.sample}`);
  }
  // Keep the `sample` targets with the smallest sampling unit: the same order live sampling uses.
  const ranked: { u: number; target: Target }[] = [];
  for await (const target of input.targets as AsyncIterable<Target>) {
    ranked.push({ u: await sampleUnit(definition.scope, target.id), target });
    if (ranked.length > 4 * MAX_TEST_SAMPLE) {
      ranked.sort((a, b) => a.u - b.u);
      ranked.length = input.sample;
    }
  }
  ranked.sort((a, b) => a.u - b.u);
  const chosen = ranked.slice(0, input.sample).map((r) => r.target);
  const distribution: Record<string, number> = Object.fromEntries(labelNames(definition).map((l) => [l, 0]));
  const total: JudgeCost = { requests: 0, inputTokens: 0, outputTokens: 0, usd: 0 };
  const rows: TestRow[] = [];
  const context = input.context ?? { env: {} };
  let unreadable = 0;
  for (const target of chosen) {
    if (!hasReadableMessage(target)) {
      unreadable++;
      continue;
    }
    const excluded = filterMismatch(target, definition);
    let row: TestRow;
    if (excluded) {
      const cost = { requests: 0, inputTokens: 0, outputTokens: 0, usd: 0 };
      row = { kind: target.kind, id: target.id, status: 'skipped', label: null, explanation: `outside the filter: ${excluded}`, judge: null, cost };
    } else {
      // A cap reached: nothing was sent for this target (or any after it, the budget stays paused); the row says which.
      const v = await judge(target, definition, context).catch((e: unknown) => {
        if (!isBudgetExceeded(e)) throw e;
        return { status: 'error' as const, label: null, explanation: e.message, judge: 'llm' as const, cost: { requests: 0, inputTokens: 0, outputTokens: 0, usd: 0 } };
      });
      row = { kind: target.kind, id: target.id, status: v.status, label: v.label, explanation: v.explanation, judge: v.judge, cost: v.cost };
    }
    const key = row.status === 'labelled' && row.label !== null ? row.label : row.status;
    distribution[key] = (distribution[key] ?? 0) + 1;
    total.requests += row.cost.requests;
    total.inputTokens += row.cost.inputTokens;
    total.outputTokens += row.cost.outputTokens;
    total.usd += row.cost.usd;
    rows.push(row);
  }
  return { signal: definition.name, n: rows.length, distribution, rows, unreadable, cost: total };
}

/** The test result as text: the distribution, then one line per target. */
export function formatTestResult(result: TestResult): string {
  const lines = [`${result.signal}: ${result.n} target(s)`];
  for (const [label, count] of Object.entries(result.distribution)) {
    lines.push(`  ${label.padEnd(12)} ${String(count).padStart(4)}  ${result.n ? ((100 * count) / result.n).toFixed(0) : 0}%`);
  }
  if (result.unreadable > 0) lines.push(`  ${result.unreadable} target(s) with no readable message: not judged`);
  lines.push('', 'id\tlabel\tjudge\tcost\texplanation');
  for (const r of result.rows) {
    const cost = r.cost.requests ? `${r.cost.requests} req, ${r.cost.inputTokens + r.cost.outputTokens} tok, $${r.cost.usd.toFixed(4)}` : '0';
    lines.push(`${r.id}\t${r.label ?? r.status}\t${r.judge ?? '-'}\t${cost}\t${r.explanation}`);
  }
  return `${lines.join('\n')}\n`;
}
