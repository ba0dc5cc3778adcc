import { describe, expect, it } from 'vitest';
import type { Category, Message, QualityBucket, SignalGroup, SignalType } from '../core/types.js';
import { presentCategories, triageFeatures, type ReportLike } from './features.js';
import { REFERENCE_PROFILE, REVIEW_PROFILE, withWeights } from './profiles.js';
import { triageScore } from './score.js';

function group(category: Category, types: SignalType[] = []): SignalGroup {
  const signals = types.map((signal_type) => ({ signal_type, message_index: 0, snippet: '', confidence: 1, metadata: {} }));
  return { category, count: signals.length, severity: 0, signals };
}

function report(quality: QualityBucket = 'neutral', extra: Partial<Record<Category, SignalType[]>> = {}): ReportLike {
  const g = (c: Category) => group(c, extra[c]);
  return {
    interaction_signals: {
      misalignment: g('misalignment'),
      stagnation: g('stagnation'),
      disengagement: g('disengagement'),
      satisfaction: g('satisfaction'),
    },
    execution_signals: { failure: g('failure'), loops: g('loops') },
    environment_signals: { exhaustion: g('exhaustion') },
    overall_quality: quality,
  };
}

const call = (name: string): Message => ({ from: 'function_call', value: JSON.stringify({ name, arguments: {} }) });

describe('triageFeatures', () => {
  it('reads tool errors, user pushback after the task statement, hand-offs and unfinished calls', () => {
    const messages: Message[] = [
      { from: 'system', value: 'policy' },
      { from: 'human', value: 'My order is wrong, please fix it.' },
      call('get_order'),
      { from: 'observation', value: 'Error: order not found' },
      { from: 'gpt', value: 'x'.repeat(3000) },
      { from: 'human', value: 'That is still not right.' },
      call('transfer_to_human_agents'),
    ];
    const f = triageFeatures(messages, report());
    expect(f).toMatchObject({ tool_errors: 1, pushback: 1, escalation: 1, unfinished: 1, verbosity: 2 });
  });

  it('caps repeated evidence at 3 and counts reference groups', () => {
    const noisy: Message[] = [{ from: 'human', value: 'task' }];
    for (let i = 0; i < 6; i++) noisy.push(call('lookup'), { from: 'observation', value: '{"error": true}' });
    const r = report('poor', { loops: ['execution.loops.retry', 'execution.loops.retry', 'execution.loops.retry', 'execution.loops.retry'] });
    expect(triageFeatures(noisy, r)).toMatchObject({ tool_errors: 3, loops: 3, quality: 3, signals: 4, unfinished: 0 });
  });

  it('falls back to report-only features when the rows are unknown', () => {
    const r = report('severe', { disengagement: ['interaction.disengagement.escalation'] });
    expect(triageFeatures(null, r)).toMatchObject({ verbosity: 0, tool_errors: 0, escalation: 1, disengagement: 1, quality: 4 });
  });

  it('lists the categories present for quotas, leaving out the continuous ones', () => {
    const f = triageFeatures([{ from: 'gpt', value: 'long answer' }], report('severe', { loops: ['execution.loops.retry'] }));
    expect(f.verbosity).toBeGreaterThan(0);
    expect(presentCategories(f)).toEqual(['loops']);
  });
});

describe('triageScore', () => {
  const clean: Message[] = [
    { from: 'human', value: 'Book a table for two.' },
    { from: 'gpt', value: 'Done.' },
  ];
  const troubled: Message[] = [
    ...clean,
    { from: 'human', value: 'That is wrong, it is still for one.' },
    call('update_booking'),
    { from: 'observation', value: 'failed: invalid party size' },
  ];

  it('ranks a troubled conversation above a clean one and explains why', () => {
    const a = triageScore(clean, report());
    const b = triageScore(troubled, report());
    expect(b.score).toBeGreaterThan(a.score);
    expect(b.reasons).toEqual(['tool_errors=1', 'pushback=1', 'verbosity=0.007']);
  });

  it('leaves escalation out of the review score unless weighted in', () => {
    const handoff: Message[] = [...clean, call('transfer_to_human_agents'), { from: 'observation', value: 'ok' }];
    expect(triageScore(handoff, report()).reasons.some((r) => r.startsWith('escalation'))).toBe(false);
    const weighted = triageScore(handoff, report(), withWeights(REVIEW_PROFILE, { escalation: 2 }));
    expect(weighted.score).toBeCloseTo(triageScore(handoff, report()).score + 2, 3);
    expect(weighted.reasons[0]).toBe('escalation=1');
  });

  it('orders the reference baseline by bucket, then by signal count', () => {
    const s = (q: QualityBucket, loops = 0) =>
      triageScore(null, report(q, { loops: Array(loops).fill('execution.loops.retry') }), REFERENCE_PROFILE).score;
    expect(s('severe')).toBeGreaterThan(s('poor', 5));
    expect(s('poor', 2)).toBeGreaterThan(s('poor', 1));
    expect(s('neutral')).toBeGreaterThan(s('good'));
  });
});
