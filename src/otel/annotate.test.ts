import { readFileSync } from 'node:fs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryTracer } from '../../test/helpers/memory-tracer.js';
import { libraryReports, sampleJsonl } from '../../test/helpers/sample.js';
import { analyze } from '../core/index.js';
import type { Message, SignalReport } from '../core/types.js';
import { openAIToMessages } from '../formats/index.js';
import { annotateSpan } from './annotate.js';

type ReferenceReport = Omit<SignalReport, 'quality_score' | 'turn_metrics'>;

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/otel/${name}`, import.meta.url), 'utf8'));


/** The seven groups of a report with their `<layer>.<category>` path, in spec order. */
function groupsOf(report: ReferenceReport) {
  const { interaction_signals: i, execution_signals: x, environment_signals: e } = report;
  return Object.entries({
    'interaction.misalignment': i.misalignment,
    'interaction.stagnation': i.stagnation,
    'interaction.disengagement': i.disengagement,
    'interaction.satisfaction': i.satisfaction,
    'execution.failure': x.failure,
    'execution.loops': x.loops,
    'environment.exhaustion': e.exhaustion,
  }).map(([path, group]) => ({ path, group }));
}

/** §14.4 written out independently of the code under test. */
function expectedConcerning({ overall_quality: q, interaction_signals: i, execution_signals: x }: ReferenceReport): boolean {
  return q === 'poor' || q === 'severe' || i.disengagement.count > 0 || i.stagnation.count > 2 || x.failure.count + x.loops.count > 0;
}

/** The report of the spec's complete example §13.5 plus its OTel-only fields (score 0, 3 turns). */
const demoReport = () => fixture('demo-report.json') as SignalReport;

function eventsOf(span: ReadableSpan): Array<[string, Record<string, unknown>]> {
  return span.events.map((event) => [event.name, { ...event.attributes }]);
}

const BUCKET_FLOOR = { excellent: 75, good: 60, neutral: 40, poor: 25, severe: 0 } as const;

let sdk: ReturnType<typeof memoryTracer>;
beforeEach(() => {
  sdk = memoryTracer();
});
afterEach(() => sdk.shutdown());

describe('annotateSpan on real SDK spans', () => {
  it('writes example E19 literally (§16): attributes, one signal event, not flagged', async () => {
    const report = analyze(openAIToMessages((fixture('e19.json') as { openai: unknown[] }).openai));
    const span = sdk.tracer.startSpan('chat gpt-4o');
    annotateSpan(span, report);
    span.end();
    const [exported] = await sdk.finishedSpans();

    expect(exported.name).toBe('chat gpt-4o');
    expect(Object.entries(exported.attributes)).toEqual([
      ['signals.quality', 'neutral'],
      ['signals.quality_score', 47],
      ['signals.turn_count', 2],
      ['signals.efficiency_score', 1],
      ['signals.environment.exhaustion.count', 1],
      ['signals.environment.exhaustion.severity', 1],
    ]);
    expect(eventsOf(exported)).toEqual([
      [
        'signal.environment.exhaustion.api_error',
        {
          'signal.type': 'environment.exhaustion.api_error',
          'signal.message_index': 2,
          'signal.confidence': 0.8999999761581421,
          'signal.snippet': '503 Service Unavailable',
          'signal.metadata': '{"exhaustion_type":"api_error","matched":"503 service unavailable"}',
        },
      ],
      [
        'gen_ai.evaluation.result',
        {
          'gen_ai.evaluation.name': 'agent_signals.environment.exhaustion',
          'gen_ai.evaluation.score.value': 1,
          'gen_ai.evaluation.score.label': 'low',
          'gen_ai.evaluation.explanation': '1 signal: api_error=1',
        },
      ],
    ]);
  });

  it('keeps event attribute order and can leave the evaluation events out', async () => {
    const span = sdk.tracer.startSpan('op');
    annotateSpan(span, demoReport(), { evaluationEvents: false });
    span.end();
    const [exported] = await sdk.finishedSpans();
    expect(exported.events.map((e) => e.name)).toEqual([
      'signal.interaction.misalignment.correction',
      'signal.interaction.disengagement.negative_stance',
      'signal.interaction.disengagement.escalation',
      'signal.environment.exhaustion.api_error',
    ]);
    expect(Object.keys(exported.events[0].attributes ?? {})).toEqual([
      'signal.type',
      'signal.message_index',
      'signal.confidence',
      'signal.snippet',
      'signal.metadata',
    ]);
  });

  it('appends the flag to the current name of a concerning span, or to the name given', async () => {
    const read = sdk.tracer.startSpan('POST /v1/chat/completions gpt-4o');
    annotateSpan(read, demoReport());
    read.end();
    const given = sdk.tracer.startSpan('placeholder');
    annotateSpan(given, demoReport(), { spanName: 'chat' });
    given.end();
    expect((await sdk.finishedSpans()).map((s) => s.name)).toEqual(['POST /v1/chat/completions gpt-4o 🚩', 'chat 🚩']);
  });

  describe('sample conversations: the annotations carry what the serialized report says', () => {
    const references = new Map(libraryReports().map((r) => [r.id, r.report]));
    const conversations = sampleJsonl<{ id: string; messages: Message[] }>('sharegpt');

    it.each(conversations.map((c) => [c.id, c] as const))('%s', async (id, conversation) => {
      const reference = references.get(id);
      if (reference === undefined) throw new Error(`no reference report for ${id}`);
      const span = sdk.tracer.startSpan('chat');
      annotateSpan(span, analyze(conversation.messages));
      span.end();
      const [exported] = await sdk.finishedSpans();
      const attributes = exported.attributes;

      expect(attributes['signals.quality']).toBe(reference.overall_quality);
      expect(Number(attributes['signals.quality_score'])).toBeGreaterThanOrEqual(BUCKET_FLOOR[reference.overall_quality]);
      const [, turns, efficiencyPct] = /Turns: (\d+) \(efficiency: ([\d.]+)%\)/.exec(reference.summary) ?? [];
      expect(attributes['signals.turn_count']).toBe(Number(turns));
      expect(Math.abs(Number(attributes['signals.efficiency_score']) * 100 - Number(efficiencyPct))).toBeLessThanOrEqual(0.05);

      const expectedCounts = groupsOf(reference)
        .filter(({ group }) => group.count > 0)
        .flatMap(({ path, group }) => [
          [`signals.${path}.count`, group.count],
          [`signals.${path}.severity`, group.severity],
        ]);
      expect(Object.entries(attributes).slice(4)).toEqual(expectedCounts);

      const expectedEvents = groupsOf(reference).flatMap(({ group }) =>
        group.signals.map((s) => [
          `signal.${s.signal_type}`,
          {
            'signal.type': s.signal_type,
            'signal.message_index': s.message_index,
            'signal.confidence': s.confidence,
            ...(s.snippet === '' ? {} : { 'signal.snippet': s.snippet }),
            metadata: s.metadata,
          },
        ]),
      );
      const signalEvents = eventsOf(exported)
        .filter(([name]) => name.startsWith('signal.'))
        .map(([name, { 'signal.metadata': metadata, ...rest }]) => [name, { ...rest, metadata: JSON.parse(String(metadata)) }]);
      expect(signalEvents).toEqual(expectedEvents);

      const evaluations = eventsOf(exported)
        .filter(([name]) => name === 'gen_ai.evaluation.result')
        .map(([, a]) => [a['gen_ai.evaluation.name'], a['gen_ai.evaluation.score.value']]);
      expect(evaluations).toEqual(
        groupsOf(reference)
          .filter(({ group }) => group.count > 0)
          .map(({ path, group }) => [`agent_signals.${path}`, group.severity]),
      );

      expect(exported.name).toBe(expectedConcerning(reference) ? 'chat 🚩' : 'chat');
    });
  });
});
