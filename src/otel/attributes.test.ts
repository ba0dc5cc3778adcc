import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { groupOf } from '../core/aggregate.js';
import type { Category, Signal, SignalGroup, SignalReport } from '../core/types.js';
import {
  FLAG_MARKER,
  evaluationEvents,
  flaggedName,
  isConcerning,
  signalSpanAttributes,
  signalSpanEvents,
} from './attributes.js';

/** The report of the spec's complete example §13.5 (`demo-1`) plus its OTel-only fields (score 0, 3 turns). */
function demoReport(): SignalReport {
  return JSON.parse(readFileSync(new URL('../../test/fixtures/otel/demo-report.json', import.meta.url), 'utf8')) as SignalReport;
}

/** A group built by the core's own aggregation (count and severity as in §12.2). */
const group = (category: Category, signals: Signal[] = []): SignalGroup => groupOf(category, signals);

/** A report with the given signals per category; count and severity derived as in §12.2. */
function reportWith(
  signals: Partial<Record<Category, Signal[]>>,
  rest: Pick<SignalReport, 'overall_quality' | 'quality_score'> & { total_turns?: number; efficiency_score?: number },
): SignalReport {
  const turns = rest.total_turns ?? 1;
  return {
    interaction_signals: {
      misalignment: group('misalignment', signals.misalignment),
      stagnation: group('stagnation', signals.stagnation),
      disengagement: group('disengagement', signals.disengagement),
      satisfaction: group('satisfaction', signals.satisfaction),
    },
    execution_signals: { failure: group('failure', signals.failure), loops: group('loops', signals.loops) },
    environment_signals: { exhaustion: group('exhaustion', signals.exhaustion) },
    overall_quality: rest.overall_quality,
    summary: '',
    quality_score: rest.quality_score,
    turn_metrics: {
      total_turns: turns,
      user_turns: turns,
      assistant_turns: turns,
      is_dragging: false,
      efficiency_score: rest.efficiency_score ?? 1,
    },
  };
}

/** A signal with an empty snippet and `{}` metadata. */
function bareSignal(signal_type: Signal['signal_type'], message_index = 0): Signal {
  return { signal_type, message_index, snippet: '', confidence: Math.fround(0.8), metadata: {} };
}

describe('signalSpanAttributes', () => {
  it('emits the four top-level keys then count/severity of non-empty categories only, typed (§14.2)', () => {
    expect(signalSpanAttributes(demoReport())).toEqual([
      { key: 'signals.quality', value: 'severe', type: 'string' },
      { key: 'signals.quality_score', value: 0, type: 'double' },
      { key: 'signals.turn_count', value: 3, type: 'int' },
      { key: 'signals.efficiency_score', value: 1, type: 'double' },
      { key: 'signals.interaction.misalignment.count', value: 1, type: 'int' },
      { key: 'signals.interaction.misalignment.severity', value: 1, type: 'int' },
      { key: 'signals.interaction.disengagement.count', value: 2, type: 'int' },
      { key: 'signals.interaction.disengagement.severity', value: 1, type: 'int' },
      { key: 'signals.environment.exhaustion.count', value: 1, type: 'int' },
      { key: 'signals.environment.exhaustion.severity', value: 1, type: 'int' },
    ]);
  });

  it('keeps the spec order of categories across layers', () => {
    const signals: Partial<Record<Category, Signal[]>> = {
      exhaustion: [bareSignal('environment.exhaustion.timeout')],
      loops: [bareSignal('execution.loops.retry')],
      satisfaction: [bareSignal('interaction.satisfaction.gratitude')],
      stagnation: [bareSignal('interaction.stagnation.dragging')],
    };
    const keys = signalSpanAttributes(reportWith(signals, { overall_quality: 'neutral', quality_score: 54 }))
      .map((a) => a.key)
      .filter((key) => key.endsWith('.count'));
    expect(keys).toEqual([
      'signals.interaction.stagnation.count',
      'signals.interaction.satisfaction.count',
      'signals.execution.loops.count',
      'signals.environment.exhaustion.count',
    ]);
  });

  it('emits only the four top-level keys for a clean conversation', () => {
    const report = reportWith({}, { overall_quality: 'neutral', quality_score: 50, total_turns: 7, efficiency_score: Math.fround(2 / 3) });
    expect(signalSpanAttributes(report).map((a) => [a.key, a.value])).toEqual([
      ['signals.quality', 'neutral'],
      ['signals.quality_score', 50],
      ['signals.turn_count', 7],
      ['signals.efficiency_score', Math.fround(2 / 3)],
    ]);
  });
});

describe('signalSpanEvents', () => {
  it('emits one signal.<type> event per signal in group order with the §14.3 attributes', () => {
    const events = signalSpanEvents(demoReport());
    expect(events.map((e) => e.name)).toEqual([
      'signal.interaction.misalignment.correction',
      'signal.interaction.disengagement.negative_stance',
      'signal.interaction.disengagement.escalation',
      'signal.environment.exhaustion.api_error',
    ]);
    expect(events[3].attributes).toEqual([
      { key: 'signal.type', value: 'environment.exhaustion.api_error', type: 'string' },
      { key: 'signal.message_index', value: 3, type: 'int' },
      { key: 'signal.confidence', value: 0.8999999761581421, type: 'double' },
      {
        key: 'signal.snippet',
        value: 'Error 503 Service Unavailable: upstream reservation backend is down, try again ...',
        type: 'string',
      },
      { key: 'signal.metadata', value: '{"exhaustion_type":"api_error","matched":"503 service unavailable"}', type: 'string' },
    ]);
    expect(events[1].attributes.at(-1)?.value).toBe(
      '{"indicator_type":"excessive_punctuation","consecutive_questions":0,"consecutive_exclamations":1,"mixed_punctuation":0}',
    );
  });

  it('writes metadata with the reference float formatting (E6 similarity 1.0)', () => {
    const report = reportWith(
      {
        stagnation: [
          {
            signal_type: 'interaction.stagnation.repetition',
            message_index: 3,
            snippet: 'Exact repetition with message 1',
            confidence: 1,
            metadata: { repetition_type: 'exact', compared_to: 1, similarity: 1, role: 'gpt' },
          },
        ],
      },
      { overall_quality: 'neutral', quality_score: 50 },
    );
    const metadata = signalSpanEvents(report)[0].attributes.find((a) => a.key === 'signal.metadata');
    expect(metadata?.value).toBe('{"repetition_type":"exact","compared_to":1,"similarity":1.0,"role":"gpt"}');
  });

  it('omits signal.snippet when the snippet is empty but keeps metadata {}', () => {
    const report = reportWith({ loops: [bareSignal('execution.loops.retry', 4)] }, { overall_quality: 'neutral', quality_score: 45 });
    expect(signalSpanEvents(report)[0].attributes.map((a) => [a.key, a.value])).toEqual([
      ['signal.type', 'execution.loops.retry'],
      ['signal.message_index', 4],
      ['signal.confidence', 0.800000011920929],
      ['signal.metadata', '{}'],
    ]);
  });
});

describe('evaluationEvents', () => {
  it('emits one gen_ai.evaluation.result per category with signals: name, severity score, label, explanation', () => {
    const events = evaluationEvents(demoReport());
    expect(events.every((e) => e.name === 'gen_ai.evaluation.result')).toBe(true);
    expect(events.map((e) => e.attributes)).toEqual([
      [
        { key: 'gen_ai.evaluation.name', value: 'agent_signals.interaction.misalignment', type: 'string' },
        { key: 'gen_ai.evaluation.score.value', value: 1, type: 'double' },
        { key: 'gen_ai.evaluation.score.label', value: 'low', type: 'string' },
        { key: 'gen_ai.evaluation.explanation', value: '1 signal: correction=1', type: 'string' },
      ],
      [
        { key: 'gen_ai.evaluation.name', value: 'agent_signals.interaction.disengagement', type: 'string' },
        { key: 'gen_ai.evaluation.score.value', value: 1, type: 'double' },
        { key: 'gen_ai.evaluation.score.label', value: 'low', type: 'string' },
        { key: 'gen_ai.evaluation.explanation', value: '2 signals: negative_stance=1, escalation=1', type: 'string' },
      ],
      [
        { key: 'gen_ai.evaluation.name', value: 'agent_signals.environment.exhaustion', type: 'string' },
        { key: 'gen_ai.evaluation.score.value', value: 1, type: 'double' },
        { key: 'gen_ai.evaluation.score.label', value: 'low', type: 'string' },
        { key: 'gen_ai.evaluation.explanation', value: '1 signal: api_error=1', type: 'string' },
      ],
    ]);
  });

  it('maps severity 2 and 3 to medium and high and groups the explanation by leaf type', () => {
    const retry = bareSignal('execution.loops.retry');
    const drift = bareSignal('execution.loops.parameter_drift');
    const timeout = bareSignal('environment.exhaustion.timeout');
    const report = reportWith(
      { loops: [retry, drift, retry], exhaustion: [timeout, timeout, timeout, timeout, timeout] },
      { overall_quality: 'severe', quality_score: 0 },
    );
    const summary = evaluationEvents(report).map((e) => e.attributes.slice(1).map((a) => a.value));
    expect(summary).toEqual([
      [2, 'medium', '3 signals: retry=2, parameter_drift=1'],
      [3, 'high', '5 signals: timeout=5'],
    ]);
  });

  it('emits nothing for a clean conversation', () => {
    expect(evaluationEvents(reportWith({}, { overall_quality: 'neutral', quality_score: 50 }))).toEqual([]);
  });
});

describe('isConcerning and flaggedName (§14.4)', () => {
  const neutral = { overall_quality: 'neutral', quality_score: 50 } as const;
  const cases: Array<[string, SignalReport, boolean]> = [
    ['clean neutral', reportWith({}, neutral), false],
    ['poor quality', reportWith({}, { overall_quality: 'poor', quality_score: 35 }), true],
    ['severe quality', reportWith({}, { overall_quality: 'severe', quality_score: 0 }), true],
    ['one disengagement', reportWith({ disengagement: [bareSignal('interaction.disengagement.negative_stance')] }, neutral), true],
    ['two stagnation', reportWith({ stagnation: [bareSignal('interaction.stagnation.repetition'), bareSignal('interaction.stagnation.dragging')] }, neutral), false],
    ['three stagnation', reportWith({ stagnation: Array(3).fill(bareSignal('interaction.stagnation.repetition')) }, neutral), true],
    ['one failure', reportWith({ failure: [bareSignal('execution.failure.bad_query')] }, neutral), true],
    ['one loop', reportWith({ loops: [bareSignal('execution.loops.retry')] }, neutral), true],
    ['misalignment alone', reportWith({ misalignment: [bareSignal('interaction.misalignment.rephrase')] }, neutral), false],
    ['exhaustion alone', reportWith({ exhaustion: Array(5).fill(bareSignal('environment.exhaustion.timeout')) }, neutral), false],
    ['satisfaction alone', reportWith({ satisfaction: [bareSignal('interaction.satisfaction.gratitude')] }, { overall_quality: 'good', quality_score: 62 }), false],
  ];

  it.each(cases)('%s', (_name, report, concerning) => {
    expect(isConcerning(report)).toBe(concerning);
    const name = 'POST /v1/chat/completions gpt-4o';
    expect(flaggedName(name, report)).toBe(concerning ? `${name} 🚩` : name);
  });

  it('uses a space and U+1F6A9 as the marker', () => {
    expect([...FLAG_MARKER].map((c) => c.codePointAt(0))).toEqual([0x20, 0x1f6a9]);
  });
});
