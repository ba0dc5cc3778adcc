import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import { countPunctuationRuns } from './disengagement.js';
import { isConfirmation } from './misalignment.js';
import { startsWithPositivePrefix } from './stagnation.js';
import { rows, signalsOf, typesAt } from '../../test/helpers/rows.js';

describe('disengagement checks (spec §6.1)', () => {
  it.each([
    ['??', { questions: 1, exclamations: 0, mixed: 0 }],
    ['?!?', { questions: 0, exclamations: 0, mixed: 1 }],
    ['!!!???', { questions: 1, exclamations: 1, mixed: 1 }],
    ['？？！！', { questions: 0, exclamations: 0, mixed: 0 }],
  ])('punctuation runs in %s', (text, counts) => {
    expect(countPunctuationRuns(text)).toEqual(counts);
  });

  it('ALL CAPS needs 10 letters; caseless letters count as letters but not upper case', () => {
    expect(typesAt(analyze(rows(['human', 'HELLO THERE'])))).toEqual(['interaction.disengagement.negative_stance@0']);
    expect(typesAt(analyze(rows(['human', 'HELLO SIR'])))).toEqual([]);
    expect(typesAt(analyze(rows(['human', 'ABCDEFGHIJ日本語'])))).toEqual([]);
    const [s] = signalsOf(analyze(rows(['human', 'HTTP 500 ERROR ON /API/V1'])));
    expect(s.metadata).toEqual({ indicator_type: 'all_caps', upper_ratio: 1 });
  });

  it('the caps snippet is the first 50 code points', () => {
    const text = `${'😀'.repeat(10)}${'A'.repeat(60)}`;
    const [s] = signalsOf(analyze(rows(['human', text])));
    expect(Array.from(s.snippet)).toHaveLength(50);
  });

  it('a positive prefix suppresses punctuation but not caps ("YES THANK YOU SO MUCH")', () => {
    // "great" alone is gratitude by cosine with "you're great" (1/√2); no punctuation signal.
    expect(typesAt(analyze(rows(['human', 'Great!!!'])))).toEqual(['interaction.satisfaction.gratitude@0']);
    expect(typesAt(analyze(rows(['human', 'YES THANK YOU SO MUCH'])))).toEqual(['interaction.disengagement.negative_stance@0']);
  });

  it('one message can fire several signals at once', () => {
    const report = analyze(rows(['human', 'THIS IS USELESS!!! I GIVE UP, GET ME A HUMAN']));
    expect(typesAt(report)).toEqual([
      'interaction.disengagement.negative_stance@0',
      'interaction.disengagement.negative_stance@0',
      'interaction.disengagement.escalation@0',
      'interaction.disengagement.quit@0',
    ]);
  });
});

describe('prefix quirks (spec §4.3, §5.3)', () => {
  it('plain startsWith on lowercased text', () => {
    expect(['okay', 'Oklahoma', 'goodbye', '  pleased', 'thanksgiving'].every(startsWithPositivePrefix)).toBe(true);
    expect(startsWithPositivePrefix('not ok')).toBe(false);
    expect(isConfirmation(' Yesterday ')).toBe(true);
    expect(isConfirmation('That’s correct')).toBe(false);
    expect(isConfirmation("That's correct")).toBe(true);
  });
});

describe('empty and whitespace-only messages (spec §15.2)', () => {
  it('empty rows count as turns but are never matched', () => {
    const report = analyze(rows(['human', ''], ['human', ''], ['human', 'forget it']));
    expect(report.turn_metrics.user_turns).toBe(3);
    expect(typesAt(report)).toEqual(['interaction.disengagement.quit@2']);
  });

  it('a whitespace-only message is the previous user message for the rephrase check', () => {
    const q = 'How do I reset my router admin password quickly';
    expect(typesAt(analyze(rows(['human', q], ['human', '   '], ['human', q])))).toEqual(['interaction.stagnation.repetition@2']);
  });
});

describe('misalignment rate and the score (spec §12.3)', () => {
  it('one misalignment among many user turns costs nothing', () => {
    const turns = Array.from({ length: 4 }, (_, i) => rows(['human', `question number ${i}`], ['gpt', 'answer'])).flat();
    const report = analyze([...turns, ...rows(['human', 'i just said that'])]);
    expect(typesAt(report)).toEqual(['interaction.misalignment.correction@8']);
    expect(report.quality_score).toBe(50);
  });

  it('three satisfaction signals give the maximum reachable score 69', () => {
    const report = analyze(rows(['human', 'that helps'], ['human', 'that works'], ['human', 'it worked']));
    expect(report.quality_score).toBe(69);
    expect(report.overall_quality).toBe('good');
  });
});
