import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import { serializeReport, serializeReportLine } from './serialize.js';
import { call, rows, signalsOf, typesAt } from '../../test/helpers/rows.js';

// The worked examples of the spec (§13.5 and §16), with the values the spec states.
describe('spec worked examples', () => {
  it('§13.5 complete example serializes byte for byte', () => {
    const line =
      '{"id":"demo-1","messages":[{"from":"human","value":"Book me a table for two at Luigi\'s tonight at 8"},{"from":"gpt","value":"Let me check availability."},{"from":"function_call","value":"{\\"name\\":\\"search_restaurants\\",\\"arguments\\":{\\"name\\":\\"Luigi\'s\\",\\"time\\":\\"20:00\\"}}"},{"from":"observation","value":"Error 503 Service Unavailable: upstream reservation backend is down, try again later"},{"from":"gpt","value":"Sorry, the reservation system is unavailable right now."},{"from":"human","value":"No, I meant Luigi\'s on 5th street, not the other one"},{"from":"gpt","value":"Understood. Unfortunately the reservation service is still unavailable."},{"from":"human","value":"This is useless. Get me a human!!"}]}';
    const expected = {
      id: 'demo-1',
      report: {
        interaction_signals: {
          misalignment: { category: 'misalignment', count: 1, severity: 1, signals: [{ signal_type: 'interaction.misalignment.correction', message_index: 5, snippet: 'no, i meant', confidence: 1.0, metadata: { pattern_type: 'correction' } }] },
          stagnation: { category: 'stagnation', count: 0, severity: 0, signals: [] },
          disengagement: {
            category: 'disengagement',
            count: 2,
            severity: 1,
            signals: [
              { signal_type: 'interaction.disengagement.negative_stance', message_index: 7, snippet: 'This is useless. Get me a human!!', confidence: 1.0, metadata: { indicator_type: 'excessive_punctuation', consecutive_questions: 0, consecutive_exclamations: 1, mixed_punctuation: 0 } },
              { signal_type: 'interaction.disengagement.escalation', message_index: 7, snippet: 'get me a human', confidence: 1.0, metadata: { pattern_type: 'escalation' } },
            ],
          },
          satisfaction: { category: 'satisfaction', count: 0, severity: 0, signals: [] },
        },
        execution_signals: { failure: { category: 'failure', count: 0, severity: 0, signals: [] }, loops: { category: 'loops', count: 0, severity: 0, signals: [] } },
        environment_signals: {
          exhaustion: {
            category: 'exhaustion',
            count: 1,
            severity: 1,
            signals: [{ signal_type: 'environment.exhaustion.api_error', message_index: 3, snippet: 'Error 503 Service Unavailable: upstream reservation backend is down, try again ...', confidence: 0.8999999761581421, metadata: { exhaustion_type: 'api_error', matched: '503 service unavailable' } }],
          },
        },
        overall_quality: 'severe',
        summary:
          'Overall Quality: severe | Turns: 3 (efficiency: 100.0%) | Interaction — misalignment: 1 (sev 1), stagnation: 0, disengagement: 2 (sev 1), satisfaction: 0 | Execution — failure: 0, loops: 0 | Environment — exhaustion: 1 (sev 1) | High misalignment rate: 33.3% of user turns | Escalation requested: 1',
      },
    };
    const input = JSON.parse(line);
    const report = analyze(input.messages);
    const out = serializeReportLine(input.id, report);
    expect(JSON.parse(out)).toEqual(expected);
    // `1.0` stays a float in the bytes, as the reference prints it.
    expect(out).toContain('"confidence":1.0,');
    expect(out).toContain('"confidence":0.8999999761581421,');
    expect(report.quality_score).toBe(0);
  });

  it('E1 negation quirk: an angry message is also a success', () => {
    const report = analyze(rows(['human', 'THIS IS NOT WORKING']));
    expect(typesAt(report)).toEqual(['interaction.disengagement.negative_stance@0', 'interaction.satisfaction.success@0']);
    const [caps, success] = signalsOf(report);
    expect(caps.metadata).toEqual({ indicator_type: 'all_caps', upper_ratio: 1 });
    expect(success.snippet).toBe('this is working');
    expect(report.quality_score).toBe(52);
    expect(report.overall_quality).toBe('neutral');
  });

  it('E2 a one-word "forget" is a quit and makes the conversation severe', () => {
    const report = analyze(rows(['human', 'Can you book a flight to Rome for Friday?'], ['gpt', 'Sure, which airport?'], ['human', 'forget']));
    expect(typesAt(report)).toEqual(['interaction.disengagement.quit@2']);
    expect(signalsOf(report)[0].snippet).toBe('forget it');
    expect(report.overall_quality).toBe('severe');
    expect(report.quality_score).toBe(0);
  });

  it('E3 explicit correction', () => {
    const report = analyze(rows(['human', 'Show me my orders'], ['gpt', 'Sure, here are your invoices'], ['human', 'No, I meant my recent orders']));
    expect(typesAt(report)).toEqual(['interaction.misalignment.correction@2']);
    expect(report.quality_score).toBe(35);
    expect(report.overall_quality).toBe('poor');
    expect(report.summary.endsWith('| High misalignment rate: 50.0% of user turns')).toBe(true);
  });

  it('E4 semantic rephrase', () => {
    const report = analyze(
      rows(['human', 'How do I reset my router admin password quickly'], ['gpt', 'Open the settings page.'], ['human', 'How can I reset the router admin password fast']),
    );
    const [s] = signalsOf(report);
    expect(typesAt(report)).toEqual(['interaction.misalignment.rephrase@2']);
    expect(s.snippet).toBe('[similar rephrase detected]');
    expect(serializeReport(report)).toContain('"confidence":0.800000011920929,"metadata":{"pattern_type":"semantic_rephrase","compared_to":0}');
    expect(report.overall_quality).toBe('poor');
  });

  it('E5 dragging after ten user turns', () => {
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
    const report = analyze(words.flatMap((w) => rows(['human', `Question ${w}`], ['gpt', `Answer ${w}`])));
    expect(typesAt(report)).toEqual(['interaction.stagnation.dragging@19']);
    const json = serializeReport(report);
    expect(json).toContain(
      '"snippet":"Conversation dragging: 10 turns (efficiency: 0.44)","confidence":0.5555555820465088,"metadata":{"total_turns":10,"efficiency_score":0.4444444477558136,"baseline_turns":5}',
    );
    expect(report.overall_quality).toBe('neutral');
    expect(report.summary).toContain('Turns: 10 (efficiency: 44.4%)');
  });

  it('E6 assistant repetition', () => {
    const answer = 'I am sorry, I cannot find any order with that tracking number.';
    const report = analyze(rows(['human', 'Where is my package?'], ['gpt', answer], ['human', 'It is 1Z999'], ['gpt', answer]));
    expect(typesAt(report)).toEqual(['interaction.stagnation.repetition@3']);
    expect(serializeReport(report)).toContain(
      '"snippet":"Exact repetition with message 1","confidence":1.0,"metadata":{"repetition_type":"exact","compared_to":1,"similarity":1.0,"role":"gpt"}',
    );
    expect(report.overall_quality).toBe('neutral');
  });

  it('E7 escalation suppresses the complaint', () => {
    const report = analyze(rows(['human', 'This is useless, let me speak to a manager']));
    expect(typesAt(report)).toEqual(['interaction.disengagement.escalation@0']);
    expect(signalsOf(report)[0].snippet).toBe('speak to a manager');
    expect(report.overall_quality).toBe('severe');
    expect(report.summary.endsWith('| Escalation requested: 1')).toBe(true);
  });

  it('E8 an earlier fuzzy phrase wins over a later exact one', () => {
    const report = analyze(rows(['human', 'what the f**k is wrong with you']));
    const [s] = signalsOf(report);
    expect(typesAt(report)).toEqual(['interaction.disengagement.negative_stance@0']);
    expect(s.metadata).toEqual({ indicator_type: 'profanity', pattern: 'what the hell is wrong with you' });
    expect(report.quality_score).toBe(40);
  });

  it('E9 gratitude', () => {
    const report = analyze(rows(['human', 'Explain DNS'], ['gpt', 'DNS maps names to IPs.'], ['human', 'Thanks, that helps a lot']));
    expect(typesAt(report)).toEqual(['interaction.satisfaction.gratitude@2']);
    expect(signalsOf(report)[0].snippet).toBe('that helps');
    expect(report.quality_score).toBe(62);
    expect(report.overall_quality).toBe('good');
  });

  it('E10 invalid arguments, leftmost match', () => {
    const report = analyze(rows(['human', 'create a user'], call('create_user', { age: 'twelve' }), ['observation', 'Error: validation failed - expected integer got string']));
    const [s] = signalsOf(report);
    expect(typesAt(report)).toEqual(['execution.failure.invalid_args@2']);
    expect(s.snippet).toBe('Error: validation failed - expected integer got string');
    expect(s.metadata).toEqual({ tool_name: 'create_user', call_index: 1, error_type: 'invalid_args', matched: 'validation failed' });
    expect(report.quality_score).toBe(42);
  });

  it('E11 observation without a preceding call', () => {
    const report = analyze(rows(['human', 'hi'], ['observation', "Error: unknown function 'send_thought'"]));
    const [s] = signalsOf(report);
    expect(typesAt(report)).toEqual(['execution.failure.tool_not_found@1']);
    expect(s.confidence).toBe(Math.fround(0.95));
    expect(s.metadata).toEqual({ tool_name: 'unknown', call_index: 0, error_type: 'tool_not_found', matched: 'unknown function' });
  });

  it('E12 retry loop across observations', () => {
    const c = call('check_status', { id: 'abc' });
    const report = analyze(rows(['human', 'check status'], c, ['observation', 'pending'], c, ['observation', 'pending'], c, ['observation', 'pending']));
    const [s] = signalsOf(report);
    expect(typesAt(report)).toEqual(['execution.loops.retry@1']);
    expect(s.snippet).toBe("Tool 'check_status' called 3 times with identical arguments");
    expect(s.metadata).toEqual({ tool_name: 'check_status', start_index: 1, end_index: 5, call_count: 3, loop_type: 'retry' });
    expect(report.quality_score).toBe(45);
  });

  it('E13 oscillation', () => {
    const report = analyze(rows(...['toolA', 'toolB', 'toolA', 'toolB', 'toolA', 'toolB'].map((n) => call(n, {}))));
    const [s] = signalsOf(report);
    expect(typesAt(report)).toEqual(['execution.loops.oscillation@0']);
    expect(s.snippet).toBe('Oscillation pattern [toolA → toolB] repeated 3 times');
    expect(s.metadata).toEqual({ pattern: ['toolA', 'toolB'], start_index: 0, end_index: 5, cycle_count: 3, loop_type: 'oscillation' });
    expect(report.summary).toContain('Turns: 0 (efficiency: 100.0%)');
  });

  it('E14 rate limit, leftmost alternative', () => {
    const report = analyze(rows(call('fetch_prices', {}), ['observation', 'HTTP 429: too many requests, retry after 30s']));
    const [s] = signalsOf(report);
    expect(typesAt(report)).toEqual(['environment.exhaustion.rate_limit@1']);
    expect(s.metadata).toEqual({ exhaustion_type: 'rate_limit', matched: 'http 429' });
    expect(report.quality_score).toBe(47);
  });

  it('E15 parameter drift', () => {
    const report = analyze(
      rows(['human', 'search for blue shoes'], call('search', { q: 'blue shoes' }), ['observation', '[]'], call('search', { q: 'shoes blue' }), ['observation', '[]'], call('search', { q: 'blue shoe' }), ['observation', '[]']),
    );
    const [s] = signalsOf(report);
    expect(typesAt(report)).toEqual(['execution.loops.parameter_drift@1']);
    expect(s.snippet).toBe("Tool 'search' called 3 times with 3 different argument variations");
    expect(s.metadata).toEqual({ tool_name: 'search', start_index: 1, end_index: 5, call_count: 3, variation_count: 3, loop_type: 'parameter_drift' });
  });

  it('E16 more than 100 rows: window and index quirks', () => {
    const messages = Array.from({ length: 104 }, (_, i) =>
      i % 2 === 0 ? { from: 'human', value: i === 100 || i === 102 ? 'Tell me about the weather in Paris today' : `q${i / 2}` } : { from: 'gpt', value: `ok ${(i - 1) / 2}` },
    );
    const report = analyze(messages);
    expect(typesAt(report)).toEqual(['interaction.misalignment.rephrase@102', 'interaction.stagnation.dragging@103', 'interaction.stagnation.repetition@103']);
    const [rephrase, dragging, repetition] = signalsOf(report);
    expect(rephrase.metadata).toEqual({ pattern_type: 'semantic_rephrase', compared_to: 100 });
    expect(dragging.snippet).toBe('Conversation dragging: 50 turns (efficiency: 0.08)');
    expect(repetition.snippet).toBe('Exact repetition with message 100');
    expect(repetition.metadata.compared_to).toBe(100);
    expect(report.overall_quality).toBe('neutral');
    expect(report.summary).toContain('Turns: 50 (efficiency: 8.2%)');
  });

  it('E17 a positive prefix suppresses the punctuation check', () => {
    const report = analyze(rows(['human', "Yes!! That's perfect!!!"]));
    expect(typesAt(report)).toEqual(['interaction.satisfaction.gratitude@0']);
    expect(signalsOf(report)[0].snippet).toBe("that's perfect");
    expect(report.overall_quality).toBe('good');
  });

  it('E18 "Yesterday" counts as a confirmation and a positive prefix', () => {
    const convo = (start: string) =>
      rows(['human', 'I want to change my flight'], ['gpt', 'Sure.'], ['human', `${start} I booked flight 123 to Paris from Berlin`], ['gpt', 'Found it.'], ['human', `${start} I booked flight 123 from Berlin to Paris`]);
    const yesterday = analyze(convo('Yesterday'));
    expect(typesAt(yesterday)).toEqual([]);
    expect(yesterday.overall_quality).toBe('neutral');
    const lastWeek = analyze(convo('Last week'));
    expect(typesAt(lastWeek)).toEqual(['interaction.misalignment.rephrase@4', 'interaction.stagnation.repetition@4']);
    expect(signalsOf(lastWeek)[0].metadata.compared_to).toBe(2);
    expect(signalsOf(lastWeek)[1].snippet).toBe('Near-duplicate with message 2');
  });
});

describe('report shape', () => {
  it('always has all seven groups and no signals for an empty conversation', () => {
    const report = analyze([]);
    expect(serializeReport(report)).toBe(
      '{"interaction_signals":{"misalignment":{"category":"misalignment","count":0,"severity":0,"signals":[]},"stagnation":{"category":"stagnation","count":0,"severity":0,"signals":[]},"disengagement":{"category":"disengagement","count":0,"severity":0,"signals":[]},"satisfaction":{"category":"satisfaction","count":0,"severity":0,"signals":[]}},"execution_signals":{"failure":{"category":"failure","count":0,"severity":0,"signals":[]},"loops":{"category":"loops","count":0,"severity":0,"signals":[]}},"environment_signals":{"exhaustion":{"category":"exhaustion","count":0,"severity":0,"signals":[]}},"overall_quality":"neutral","summary":"Overall Quality: neutral | Turns: 0 (efficiency: 100.0%) | Interaction — misalignment: 0, stagnation: 0, disengagement: 0, satisfaction: 0 | Execution — failure: 0, loops: 0 | Environment — exhaustion: 0"}',
    );
    expect(report.turn_metrics).toEqual({ total_turns: 0, user_turns: 0, assistant_turns: 0, is_dragging: false, efficiency_score: 1 });
  });

  it('reads malformed rows as empty strings instead of throwing', () => {
    const messages = [null, 42, { from: 'human' }, { from: 7, value: 'x' }, { from: 'human', value: ['not', 'a', 'string'] }] as never;
    const report = analyze(messages);
    expect(report.turn_metrics.user_turns).toBe(2);
    expect(typesAt(report)).toEqual([]);
  });

  it('rejects a non-array and bad options with a clear TypeError', () => {
    expect(() => analyze('hello' as never)).toThrow(/messages must be an array/);
    expect(() => analyze([], { maxMessages: -1 })).toThrow(/maxMessages/);
    expect(() => analyze([], { nope: 1 } as never)).toThrow(/unknown option "nope"/);
  });

  it('lifting the message cap makes rows before the last 100 visible', () => {
    const messages = [...rows(['human', 'i give up']), ...Array.from({ length: 120 }, () => ({ from: 'system', value: 'x' }))];
    expect(typesAt(analyze(messages))).toEqual([]);
    expect(typesAt(analyze(messages, { maxMessages: Infinity }))).toEqual(['interaction.disengagement.quit@0']);
  });
});
