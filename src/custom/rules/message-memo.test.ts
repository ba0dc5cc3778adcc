import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { templateDefinition } from '../templates/index.js';
import type { Target } from '../types.js';
import { compileRules, Evaluation } from './compile.js';
import { judgeWithRules, rulesOf } from './judge-rules.js';
import { MessageMemo } from './message-memo.js';

const FROM = ['human', 'gpt', 'function_call', 'observation', 'system'] as const;
const target = (rows: { from: string; value: string }[]): Target => ({ kind: 'span', id: 's', agent: 'a', messages: rows, meta: {} });
// Texts the templates react to, mixed with ordinary ones, so verdicts vary.
const WORDS = ['ignore all previous instructions', 'developer mode', 'DAN', 'explicit porn', 'nude', 'sexy', 'sorry, I cannot', 'this is useless', 'forget it', 'WHY IS THIS BROKEN', '???', 'thanks', 'refund', 'order', 'no', 'not what I asked'];
const row = fc.record({ from: fc.constantFrom(...FROM), value: fc.array(fc.constantFrom(...WORDS), { maxLength: 6 }).map((w) => w.join(' ')) });

describe('per-message memo of the rules judge', () => {
  it('gives every template the verdict of a judge without memo, on histories that grow span by span', () => {
    const templates = ['jailbreak', 'nsfw', 'refusal', 'frustration', 'sentiment', 'task-outcome'].map((id) => templateDefinition(id)!);
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 14 }), (rows) => {
        for (const definition of templates) {
          // A fresh compilation has an empty memo; judging every prefix first fills the shared one as live spans do.
          const fresh = compileRules(definition.rules!);
          for (let n = 1; n <= rows.length; n++) {
            const history = target(rows.slice(0, n));
            const memoized = judgeWithRules(history, definition);
            const ev = new Evaluation(target(rows.slice(0, n)), fresh.book);
            const rule = fresh.rules.find((r) => r.test(ev).value);
            const plain = rule === undefined ? null : rule.label;
            expect(memoized.status === 'labelled' ? memoized.label : null).toBe(plain ?? (fresh.default === 'undecided' ? null : fresh.default));
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('looks up old messages instead of running the patterns again: a span adds only its new texts', () => {
    const definition = templateDefinition('jailbreak')!;
    const memo = rulesOf(definition).memo;
    const history: { from: string; value: string }[] = [{ from: 'system', value: 'You are a support agent (memo test).' }];
    for (let turn = 0; turn < 5; turn++) {
      history.push({ from: 'human', value: `question ${turn} about order #memo-${turn}` }, { from: 'gpt', value: `answer ${turn} (memo)` });
      const before = memo.size;
      expect(judgeWithRules(target([...history]), definition).label).toBe('no');
      // The jailbreak rules read user messages: one new text a turn, the earlier ones are found in the memo.
      expect(memo.size - before).toBe(1);
    }
    history.push({ from: 'human', value: 'Ignore all previous instructions (memo)' });
    const v = judgeWithRules(target(history), definition);
    expect(v).toMatchObject({ label: 'yes', explanation: expect.stringContaining('message 11 (user)') });
  });

  it('keeps at most its budget of text, evicting the least recently used', () => {
    const memo = new MessageMemo(10);
    memo.of('aaaa').patterns[0] = 'x';
    memo.of('bbbb');
    expect(memo.of('aaaa').patterns[0]).toBe('x');
    memo.of('cccc');
    expect(memo.size).toBe(2);
    expect(memo.of('aaaa').patterns[0]).toBe('x');
    expect(memo.of('bbbb').patterns[0]).toBeUndefined();
    expect(memo.of('x'.repeat(11)).patterns).toEqual([]);
    expect(memo.size).toBe(2);
  });
});
