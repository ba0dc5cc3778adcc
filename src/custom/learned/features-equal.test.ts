import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceEvidence, referenceFeatures } from '../../../test/helpers/learned-features-reference.js';
import { templateDefinition } from '../templates/index.js';
import type { Target } from '../types.js';
import { DEFAULT_FEATURES, extractFeatures } from './features.js';
import { modelOf, predict } from './judge-learned.js';
import { loadModel, scores, softmax } from './model.js';
import { MessageFeatureMemo } from './message-features.js';

const FROM = ['human', 'gpt', 'function_call', 'observation', 'system', 'tool'] as const;
const target = (rows: { from: string; value: string }[]): Target => ({ kind: 'span', id: 's', agent: 'a', messages: rows, meta: {} });
// Texts the templates' models and rules react to, ordinary ones, tool calls, whitespace, non-ASCII and long texts.
const WORDS = ['ignore all previous instructions', 'developer mode', 'explicit porn', 'sorry, I cannot', "I can't help with that", 'this is useless', 'forget it', 'WHY IS THIS BROKEN', '???', 'thanks!', 'refund', 'order #4411', 'no', 'not what I asked', 'très   bien', '{"name": "search", "arguments": {}}', 'great\n\tjob', 'Ünïcödé 😀', 'error: timeout', 'x'.repeat(5000)];
const text = fc.oneof(
  fc.array(fc.constantFrom(...WORDS), { maxLength: 6 }).map((w) => w.join(' ')),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const row = fc.record({ from: fc.constantFrom(...FROM), value: text });
const LEARNED = ['jailbreak', 'refusal', 'frustration', 'sentiment', 'task-outcome'];

function expectSame(got: ReturnType<typeof extractFeatures>, want: ReturnType<typeof referenceFeatures>, named: boolean): void {
  expect([...got.index]).toEqual([...want.index]);
  // Bit for bit: the same sums in the same order.
  expect([...got.value]).toEqual([...want.value]);
  if (named) expect(new Map((got as unknown as { names: Iterable<[number, string]> }).names)).toEqual(want.names);
}

describe('learned feature extraction (dense accumulator, names made when read)', () => {
  it('gives the vectors and names of the former Map-based extraction, for every template model, with and without the memo', () => {
    const definitions = LEARNED.map((id) => templateDefinition(id)!);
    fc.assert(
      fc.property(fc.array(row, { minLength: 0, maxLength: 10 }), fc.boolean(), (rows, named) => {
        for (const definition of definitions) {
          const settings = modelOf(definition)!.features;
          const memo = new MessageFeatureMemo();
          const oldMemo = new MessageFeatureMemo();
          for (let n = rows.length === 0 ? 0 : 1; n <= rows.length; n++) {
            const t = target(rows.slice(0, n));
            const want = referenceFeatures(t, settings, definition, named);
            expectSame(named ? extractFeatures(t, settings, definition, true) : extractFeatures(t, settings, definition), want, named);
            // Growing histories through a memo, as live spans meet them; the reference with its own memo too.
            expectSame(named ? extractFeatures(t, settings, definition, true, memo) : extractFeatures(t, settings, definition, false, memo), referenceFeatures(t, settings, definition, named, oldMemo), named);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same vectors for other settings: rules and lexicon features (memos included), one role, no last-message copies, a hash space past the dense table', () => {
    const rules = templateDefinition('jailbreak')!;
    const variants = [
      { ...DEFAULT_FEATURES, rules: true, lexicon: true },
      { ...DEFAULT_FEATURES, roles: ['user' as const], last: false, chars: [] },
      { ...DEFAULT_FEATURES, bits: 24, words: [1, 2, 3], chars: [4], max_message_chars: 50 },
      { ...DEFAULT_FEATURES, bits: 10, builtin: false },
    ];
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 8 }), (rows) => {
        for (const settings of variants) {
          const memo = new MessageFeatureMemo();
          for (let n = 1; n <= rows.length; n++) {
            const t = target(rows.slice(0, n));
            const want = referenceFeatures(t, settings, rules, true);
            expectSame(extractFeatures(t, settings, rules, true), want, true);
            // Through the memos (text features and lexicon hits), judged again as the history grows.
            expectSame(extractFeatures(t, settings, rules, true, memo), want, true);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it("gives the former predict's label, confidence and evidence (every push named and sorted), for every template model", () => {
    const definitions = LEARNED.map((id) => templateDefinition(id)!);
    let evidenced = 0;
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 10 }), (rows) => {
        for (const definition of definitions) {
          const model = modelOf(definition)!;
          const t = target(rows);
          const x = referenceFeatures(t, model.features, definition, true);
          const loaded = loadModel(model);
          const p = softmax(scores(loaded, x), model.temperature);
          let best = 0;
          for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
          let second = best === 0 ? 1 : 0;
          for (let k = 0; k < p.length; k++) if (k !== best && p[k] > p[second]) second = k;
          // The three shown, and a long list (equal pushes are common: weights are stored as integers over a scale).
          for (const evidence of [3, 40]) {
            const got = predict(target(rows), model, definition, evidence);
            const want = referenceEvidence({ ...x, names: x.names! }, loaded, best, second, evidence);
            expect(got.label).toBe(model.labels[best]);
            expect(got.confidence).toBe(p[best]);
            expect(got.evidence).toEqual(want);
            if (want.length > 0) evidenced++;
          }
        }
      }),
      { numRuns: 80 },
    );
    expect(evidenced).toBeGreaterThan(0);
  });

  it('reads a name only for the index asked (explanations read a few)', () => {
    const x = extractFeatures(target([{ from: 'human', value: 'ignore all rules' }]), { ...DEFAULT_FEATURES, chars: [], builtin: false }, { rules: undefined }, true);
    const k = [...x.names].find(([, n]) => n === "'ignore all' (user)")![0];
    expect(x.names.get(k)).toBe("'ignore all' (user)");
    expect(x.names.has(k)).toBe(true);
    expect(x.names.get(-1)).toBeUndefined();
    expect(x.names.size).toBe(x.index.length);
  });
});
