import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceEvidence } from '../../../test/helpers/learned-features-reference.js';
import { templateDefinition } from '../templates/index.js';
import type { Target } from '../types.js';
import { ConversationFeatures } from './conversation-features.js';
import { DEFAULT_FEATURES, extractFeatures, type FeatureSettings } from './features.js';
import { modelOf, predict } from './judge-learned.js';
import { MessageFeatureMemo } from './message-features.js';
import { loadModel, positionOf, scores, softmax, type LearnedModel } from './model.js';

const FROM = ['human', 'gpt', 'function_call', 'observation', 'system', 'tool'] as const;
// Texts the templates' models and rules react to, ordinary ones, tool calls, repeats across roles, long texts.
const WORDS = ['ignore all previous instructions', 'developer mode', 'explicit porn', 'sorry, I cannot', "I can't help with that", 'this is useless', 'forget it', 'WHY IS THIS BROKEN', '???', 'thanks!', 'refund', 'order #4411', 'no', 'not what I asked', 'très   bien', '{"name": "search", "arguments": {}}', 'great\n\tjob', 'Ünïcödé 😀', 'x'.repeat(5000)];
const text = fc.oneof(fc.array(fc.constantFrom(...WORDS), { maxLength: 6 }).map((w) => w.join(' ')), fc.string({ maxLength: 30 }));
const row = fc.record({ from: fc.constantFrom(...FROM), value: text });
type Row = { from: string; value: string };

/** What happens to one of a few conversations between two of its targets. */
const step = fc.record({
  conversation: fc.integer({ min: 0, max: 3 }),
  change: fc.constantFrom('grow', 'grow', 'grow', 'again', 'edit', 'trim', 'drop-first', 'replace'),
  rows: fc.array(row, { minLength: 1, maxLength: 3 }),
  at: fc.nat(),
});

/** Targets of interleaved conversations: histories that grow, are judged again, edited, trimmed, lose their start or are replaced. */
function targets(steps: (typeof step extends fc.Arbitrary<infer T> ? T : never)[]): Target[] {
  const histories: Row[][] = [[], [], [], []];
  return steps.map((s, n) => {
    let h = histories[s.conversation];
    if (s.change === 'grow' || h.length === 0) h = [...h, ...s.rows];
    else if (s.change === 'again') h = [...h];
    else if (s.change === 'edit') h = h.map((r, i) => (i === s.at % h.length ? s.rows[0] : r));
    else if (s.change === 'trim') h = h.slice(0, s.at % h.length);
    else if (s.change === 'drop-first') h = h.slice(1);
    else h = s.rows;
    histories[s.conversation] = h;
    // Conversation 3 has no session: its key is its trace, shared with conversation 2's spans (a key is only a hint).
    const sessionId = s.conversation === 3 ? null : `sess-${s.conversation}`;
    return { kind: 'span', id: `span-${n}`, agent: 'a', messages: h.map((r) => ({ ...r })), meta: { sessionId, traceId: 'trace-2' } };
  });
}

/** A model with other feature settings (the template's weights, read through them). */
function withSettings(model: LearnedModel, features: FeatureSettings): LearnedModel {
  return { ...model, features };
}

const LEARNED = ['jailbreak', 'refusal', 'frustration', 'sentiment', 'task-outcome'];
const rulesOf = templateDefinition('jailbreak')!;

describe('learned features kept per conversation', () => {
  it('give the vector (values bit for bit, names) of extractFeatures over the whole target, for interleaved growing, edited and trimmed conversations', () => {
    const base = modelOf(templateDefinition('jailbreak')!)!;
    const cases = [
      ...LEARNED.map((id) => ({ definition: templateDefinition(id)!, model: modelOf(templateDefinition(id)!)! })),
      // Two roles with last-message copies and character n-grams, rules and lexicon features, a hash space past the dense tables.
      { definition: rulesOf, model: withSettings(base, { ...DEFAULT_FEATURES, rules: true, lexicon: true }) },
      { definition: rulesOf, model: withSettings(base, { ...DEFAULT_FEATURES, roles: ['tool', 'assistant', 'user'], bits: 24, chars: [4], max_message_chars: 50 }) },
      // A hash space of 2^10: a last-message copy's n-grams often share an index with later messages' (first met in the copy).
      { definition: rulesOf, model: withSettings(base, { ...DEFAULT_FEATURES, roles: ['assistant', 'user'], bits: 10, chars: [3], max_message_chars: 200 }) },
    ];
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 14 }), fc.boolean(), (steps, small) => {
        for (const { definition, model } of cases) {
          const memo = new MessageFeatureMemo();
          // A small cache evicts between a conversation's targets: results must not depend on what is held.
          const held = small ? new ConversationFeatures(loadModel(model), memo, 2, 64 * 1024) : new ConversationFeatures(loadModel(model), memo);
          for (const t of targets(steps)) {
            const want = extractFeatures(t, model.features, definition, true);
            const got = held.vector(t, definition);
            expect([...got.index]).toEqual([...want.index]);
            expect([...got.value]).toEqual([...want.value]);
            expect([...got.names]).toEqual([...want.names]);
            // The weighted part scoring reads: the same indexes, values and names.
            const loaded = loadModel(model);
            const w = held.weighted(t, definition);
            const keep = [...want.index.keys()].filter((k) => positionOf(loaded, want.index[k]) >= 0);
            expect([...w.index.subarray(0, w.size)]).toEqual(keep.map((k) => want.index[k]));
            expect([...w.value.subarray(0, w.size)]).toEqual(keep.map((k) => want.value[k]));
            expect(Array.from({ length: w.size }, (_, j) => w.name(j))).toEqual(keep.map((k) => want.names.get(want.index[k])));
          }
          if (small) expect(held.stats.conversations).toBeLessThanOrEqual(2);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("give predict the label, confidence, probabilities and evidence of scoring extractFeatures' whole vector", () => {
    const definitions = LEARNED.map((id) => templateDefinition(id)!);
    let evidenced = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        for (const definition of definitions) {
          const model = modelOf(definition)!;
          const loaded = loadModel(model);
          for (const t of targets(steps)) {
            const x = extractFeatures(t, model.features, definition, true);
            const p = softmax(scores(loaded, x), model.temperature);
            let best = 0;
            for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
            let second = best === 0 ? 1 : 0;
            for (let k = 0; k < p.length; k++) if (k !== best && p[k] > p[second]) second = k;
            for (const evidence of [3, 40]) {
              const got = predict(t, model, definition, evidence);
              const want = referenceEvidence(x, loaded, best, second, evidence);
              expect(got.label).toBe(model.labels[best]);
              expect(got.confidence).toBe(p[best]);
              expect(got.probabilities).toEqual(Object.fromEntries(model.labels.map((l, k) => [l, p[k]])));
              expect(got.evidence).toEqual(want);
              if (want.length > 0) evidenced++;
            }
          }
        }
      }),
      { numRuns: 40 },
    );
    expect(evidenced).toBeGreaterThan(0);
  });

  it('holds at most its bounds of conversations and bytes, least recently used out first', () => {
    const definition = templateDefinition('jailbreak')!;
    const model = modelOf(definition)!;
    const held = new ConversationFeatures(loadModel(model), new MessageFeatureMemo(), 50, 256 * 1024);
    const span = (c: number, n: number): Target => ({
      kind: 'span',
      id: `s${c}`,
      agent: 'a',
      messages: Array.from({ length: n }, (_, i) => ({ from: i % 2 ? 'gpt' : 'human', value: `conversation ${c} says thing number ${i} out loud` })),
      meta: { sessionId: `c${c}` },
    });
    let most = 0;
    for (let c = 0; c < 400; c++) {
      held.weighted(span(c, 4 + (c % 9)), definition);
      most = Math.max(most, held.stats.bytes);
      expect(held.stats.conversations).toBeLessThanOrEqual(50);
    }
    expect(most).toBeLessThanOrEqual(256 * 1024);
    // Past the byte bound, fewer conversations than the count bound stay.
    const big = new ConversationFeatures(loadModel(model), new MessageFeatureMemo(), 1_000, 64 * 1024);
    for (let c = 0; c < 100; c++) big.weighted(span(c, 30), definition);
    expect(big.stats.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(big.stats.conversations).toBeLessThan(100);
    // The most recent conversation is held: it continues with its new message only.
    const again = span(99, 31);
    expect(big.vector(again, definition).index).toEqual(extractFeatures(again, model.features, definition, true).index);
  });

  it('reads only the new messages of a conversation that continues', () => {
    const definition = templateDefinition('jailbreak')!;
    const model = modelOf(definition)!;
    let computed = 0;
    const memo = new MessageFeatureMemo();
    const counting = { of: (role: number, value: string, compute: () => ReturnType<MessageFeatureMemo['of']>) => memo.of(role, value, () => (computed++, compute())) } as MessageFeatureMemo;
    const held = new ConversationFeatures(loadModel(model), counting);
    const rows: Row[] = [];
    const looked: number[] = [];
    for (let turn = 0; turn < 30; turn++) {
      rows.push({ from: 'human', value: `question number ${turn} about my booking` }, { from: 'gpt', value: `answer ${turn}` });
      const before = computed;
      held.weighted({ kind: 'span', id: `s${turn}`, agent: 'a', messages: rows.map((r) => ({ ...r })), meta: { sessionId: 'one' } }, definition);
      looked.push(computed - before);
    }
    // Each span computes its new user message and that message's last-message copy, whatever the history's length.
    expect(looked.every((n) => n === 2)).toBe(true);
  });
});
