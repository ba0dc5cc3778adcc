import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, serializeReport, SIGNAL_TYPES, type SignalReport } from '../src/core/index.js';
import * as phrases from '../src/core/phrases.js';

// Property tests: random and mutated conversations never make the analyzer throw or hang, and every
// report is well formed. `npm run fuzz` runs the same property with FUZZ_RUNS=100000 FUZZ_SECONDS=240.
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
// A time budget as well as a count: the same seed and cases, stopped (not failed) when the budget is spent, so
// the run fits its timeout however loaded the machine is (100,000 cases took 93 s to 9 min on 2 shared cores).
const BUDGET_S = Number(process.env.FUZZ_SECONDS ?? 40);
const TIMEOUT_MS = (BUDGET_S + 60) * 1000;
/** Fewer cases than this within the budget is a failure: the analyzer got slow, or the machine is unusable. */
const MIN_CASES = Math.min(RUNS, 1000);

const knownPhrases = Object.values(phrases).flatMap((v) => (Array.isArray(v) ? v : []));
const errorTexts = ['Error 503 Service Unavailable', 'HTTP 429 too many requests', 'exceeded   the limit', 'syntax error near json', 'permission denied', 'invalid argument', 'request timed out', 'ECONNREFUSED'];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 80 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) }, // any code point, lone surrogates included
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('\u05d0', '\u0627', '\u200f', '\u202e', 'İ', 'ſ', 'K', ' ', '\u0085', '\u3000', '?', '!', '\n'), maxLength: 40 }) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...knownPhrases), fc.string({ maxLength: 10 }), fc.boolean()).map(([p, noise, upper]) => (upper ? p.toUpperCase() : p) + noise) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...errorTexts), fc.string({ maxLength: 20 })).map(([e, s]) => `${s}${e}${s}`) },
  { weight: 1, arbitrary: fc.constant('') },
);

const toolCall = fc.oneof(
  fc.record({ name: fc.constantFrom('search', 'book', 'cancel', ''), arguments: fc.jsonValue({ maxDepth: 3 }) }).map((c) => JSON.stringify(c)),
  fc.tuple(fc.constantFrom('search', 'book'), fc.string({ maxLength: 20 })).map(([n, a]) => `${n}(${a})`), // not JSON
  fc.constantFrom('{"name":"f","arguments":"{\\"a\\": 1}"}', '{"name":null}', '{"function":{"name":"x"}}', '[1,2]', '{', '{"name":"f","arguments":{"n":1.0}}'),
);

const row = fc.oneof(
  { weight: 6, arbitrary: fc.record({ from: fc.constantFrom('human', 'gpt', 'observation', 'system', 'tool', 'Human', '', 'user'), value: text }) },
  { weight: 2, arbitrary: fc.record({ from: fc.constant('function_call'), value: toolCall }) },
  // Missing or non-string fields, and rows that are not objects at all.
  { weight: 1, arbitrary: fc.record({ from: fc.anything(), value: fc.anything() }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.oneof(fc.constant(null), fc.integer(), fc.string()) },
);

const conversation = fc.array(row, { maxLength: 40 });
const catalogue = new Map(SIGNAL_TYPES.map((t) => [t.type, t]));
const buckets = ['excellent', 'good', 'neutral', 'poor', 'severe'];

function checkReport(report: SignalReport, rowCount: number): void {
  const parsed = JSON.parse(serializeReport(report));
  const groups = { ...parsed.interaction_signals, ...parsed.execution_signals, ...parsed.environment_signals };
  expect(Object.keys(groups)).toHaveLength(7);
  for (const [category, group] of Object.entries(groups) as [string, { count: number; severity: number; signals: { signal_type: string; message_index: number }[] }][]) {
    expect(group.count).toBe(group.signals.length);
    expect(group.severity).toBe(group.count === 0 ? 0 : group.count <= 2 ? 1 : group.count <= 4 ? 2 : 3);
    for (const s of group.signals) {
      expect(catalogue.get(s.signal_type as never)?.category).toBe(category);
      expect(s.message_index).toBeGreaterThanOrEqual(0);
      expect(s.message_index).toBeLessThan(Math.max(rowCount, 1));
    }
  }
  expect(buckets).toContain(parsed.overall_quality);
  expect(report.quality_score).toBeGreaterThanOrEqual(0);
  expect(report.quality_score).toBeLessThanOrEqual(69);
}

describe('analyzer robustness (property)', () => {
  it(`never throws and always reports well-formed results (up to ${RUNS} cases in ${BUDGET_S} s)`, () => {
    let cases = 0;
    fc.assert(
      fc.property(conversation, (messages) => {
        cases++;
        const report = analyze(messages as never);
        checkReport(report, messages.length);
        expect(serializeReport(analyze(messages as never))).toBe(serializeReport(report));
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261127), interruptAfterTimeLimit: BUDGET_S * 1000, markInterruptAsFailure: false },
    );
    console.log(`fuzz: ${cases} of ${RUNS} conversations analyzed without error (budget ${BUDGET_S} s)`);
    expect(cases).toBeGreaterThanOrEqual(MIN_CASES);
  }, TIMEOUT_MS);

  it('handles 1 MB messages of every role, including pattern-dense ones', () => {
    const mb = 1 << 20;
    const dense = ['exceeded ', 'status ', 'syntax error ', 'expected ', ' '.repeat(64), 'forget it ', 'é😀'];
    for (const unit of dense) {
      const value = unit.repeat(Math.ceil(mb / unit.length));
      const messages = ['human', 'gpt', 'observation', 'function_call'].map((from) => ({ from, value }));
      checkReport(analyze(messages), messages.length);
    }
  });

  it('handles thousands of rows, with and without the message cap', () => {
    const messages = Array.from({ length: 5000 }, (_, i) => ({ from: ['human', 'gpt', 'function_call', 'observation'][i % 4], value: i % 4 === 2 ? '{"name":"search","arguments":{"q":"x"}}' : `row ${i % 7} please try again later` }));
    checkReport(analyze(messages), messages.length);
    checkReport(analyze(messages, { maxMessages: Infinity }), messages.length);
  });
});
