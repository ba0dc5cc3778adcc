import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { templateDefinition } from '../templates/index.js';
import type { Target } from '../types.js';
import { extractFeatures } from './features.js';
import { judgeWithLearned, modelOf } from './judge-learned.js';
import { featureMemoOf, MessageFeatureMemo } from './message-features.js';

const FROM = ['human', 'gpt', 'function_call', 'observation', 'system'] as const;
const target = (rows: { from: string; value: string }[]): Target => ({ kind: 'span', id: 's', agent: 'a', messages: rows, meta: {} });
// Texts the templates' models react to, ordinary ones, tool calls, case and whitespace variants and non-ASCII text.
const WORDS = ['ignore all previous instructions', 'developer mode', 'explicit porn', 'sorry, I cannot', 'this is useless', 'forget it', 'WHY IS THIS BROKEN', '???', 'thanks!', 'refund', 'order #4411', 'no', 'not what I asked', 'très   bien', '{"name": "search", "arguments": {}}', 'great\n\tjob', 'Ünïcödé 😀'];
const row = fc.record({ from: fc.constantFrom(...FROM), value: fc.array(fc.constantFrom(...WORDS), { maxLength: 6 }).map((w) => w.join(' ')) });
const LEARNED = ['jailbreak', 'refusal', 'frustration', 'sentiment', 'task-outcome'];

describe('per-message feature memo of the learned judge', () => {
  it('gives every template model the features (so the verdict) of a judge without memo, on histories that grow span by span', () => {
    const definitions = LEARNED.map((id) => templateDefinition(id)!);
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 12 }), (rows) => {
        for (const definition of definitions) {
          const model = modelOf(definition)!;
          // A fresh memo per run, filled prefix by prefix as live spans fill the model's memo.
          const memo = new MessageFeatureMemo();
          for (let n = 1; n <= rows.length; n++) {
            const plain = extractFeatures(target(rows.slice(0, n)), model.features, definition, true);
            const memoized = extractFeatures(target(rows.slice(0, n)), model.features, definition, true, memo);
            expect([...memoized.index]).toEqual([...plain.index]);
            expect([...memoized.value]).toEqual([...plain.value]);
            expect([...memoized.names]).toEqual([...plain.names]);
          }
          // The verdict reads nothing of the target but these features (index, value, names): equal features, equal verdicts.
        }
      }),
      { numRuns: 40 },
    );
  });

  it('computes only the new messages of a growing history', () => {
    const definition = templateDefinition('sentiment')!;
    const settings = modelOf(definition)!.features;
    const memo = featureMemoOf(settings);
    // Each turn adds a user and an assistant message; each one read is an entry, and again as the last of its role.
    const perTurn = (['user', 'assistant'] as const).filter((r) => settings.roles.includes(r)).length * (settings.last ? 2 : 1);
    expect(perTurn).toBeGreaterThan(0);
    const history: { from: string; value: string }[] = [{ from: 'system', value: 'You are a support agent (feature memo test).' }];
    for (let turn = 0; turn < 5; turn++) {
      history.push({ from: 'human', value: `question ${turn} about order #fmemo-${turn}` }, { from: 'gpt', value: `answer ${turn} (fmemo)` });
      const before = memo.size;
      judgeWithLearned(target([...history]), definition);
      // Entries for the new messages only, none for the old ones.
      expect(memo.size - before).toBe(perTurn);
      // The same history again (as the next span of a chat carries it): all lookups.
      judgeWithLearned(target(history.map((m) => ({ ...m }))), definition);
      expect(memo.size - before).toBe(perTurn);
    }
  });

  it('keeps at most its budget of entries, evicting the least recently used', () => {
    const memo = new MessageFeatureMemo(10);
    const features = (n: number) => () => ({ index: new Int32Array(n), count: new Float64Array(n), nameOf: () => '' });
    memo.of(1, 'a', features(4));
    memo.of(1, 'b', features(4));
    const a = memo.of(1, 'a', features(99));
    expect(a.index.length).toBe(4);
    memo.of(1, 'c', features(4));
    expect(memo.size).toBe(2);
    // 'b' was the least recently used: computed again.
    expect(memo.of(1, 'b', features(1)).index.length).toBe(1);
    expect(memo.size).toBe(3);
    // Larger than the whole budget: computed, never held.
    expect(memo.of(1, 'huge', features(11)).index.length).toBe(11);
    expect(memo.size).toBe(3);
    // The same text read as another role is another entry.
    expect(memo.of(2, 'b', features(2)).index.length).toBe(2);
    expect(memo.of(2, 'b', features(99)).index.length).toBe(2);
    expect(memo.of(1, 'b', features(99)).index.length).toBe(1);
  });
});
