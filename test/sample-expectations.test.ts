/**
 * The bundled sample against the signal types written by hand for each conversation (`meta.expect` in
 * scripts/write-sample.mjs, from the wording of the text and the spec's phrase lists): each report must contain at
 * least those types, the two conversations written to show nothing must show nothing, and every signal family
 * must fire somewhere in the sample.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/core/index.js';
import type { SignalGroup, SignalReport } from '../src/core/types.js';
import { sampleConversations } from './helpers/sample.js';

const conversations = sampleConversations();

function groups(report: SignalReport): SignalGroup[] {
  return [report.interaction_signals, report.execution_signals, report.environment_signals].flatMap((layer): SignalGroup[] => Object.values(layer));
}

const typesOf = (report: SignalReport) => new Set(groups(report).flatMap((g) => g.signals.map((s) => s.signal_type as string)));

describe('the bundled sample shows the signals it was written to show', () => {
  it('has 25 conversations, each with a hand-written expectation', () => {
    expect(conversations).toHaveLength(25);
    for (const c of conversations) expect(Array.isArray(c.meta.expect), c.id).toBe(true);
  });

  it.each(conversations.map((c) => [c.id, c] as const))('%s', (_id, conversation) => {
    const found = typesOf(analyze(conversation.messages));
    for (const type of conversation.meta.expect) expect(found, `${conversation.id}: ${type}`).toContain(type);
    // Written as "no signal" scenarios: nothing at all may fire.
    if (conversation.meta.scenario.startsWith('no signal')) expect([...found]).toEqual([]);
  });

  it('fires every signal family somewhere, as the expectations say', () => {
    const families = ['misalignment', 'stagnation', 'disengagement', 'satisfaction', 'failure', 'loops', 'exhaustion'];
    const expected = new Set(conversations.flatMap((c) => c.meta.expect.map((type) => type.split('.')[1])));
    const fired = new Set(conversations.flatMap((c) => groups(analyze(c.messages)).filter((g) => g.count > 0).map((g) => g.category as string)));
    expect([...expected].sort()).toEqual([...families].sort());
    expect([...fired].sort()).toEqual([...families].sort());
  });
});
