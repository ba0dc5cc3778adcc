import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from './incremental.js';
import type { AnalyzeOptions, Message } from './types.js';
import { conversationArbitrary } from '../../test/helpers/conversations.js';
import { expectPrefixesMatch } from '../../test/helpers/incremental.js';
import { rows } from '../../test/helpers/rows.js';

const RUNS = Number(process.env.INCREMENTAL_RUNS ?? 150);

/** The conversations of the bundled sample (written for this project). */
const SAMPLE: Message[][] = readFileSync(new URL('../../corpus/sample.sharegpt.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => (JSON.parse(line) as { messages: Message[] }).messages);

const caps = fc.constantFrom<AnalyzeOptions | undefined>(undefined, { maxMessages: 1 }, { maxMessages: 3 }, { maxMessages: 7 }, { maxMessages: 20 }, { maxMessages: Infinity });

describe('createAnalyzer: every prefix equals analyze (property)', () => {
  it('random conversations, under small caps, the default cap and no cap', () => {
    fc.assert(fc.property(conversationArbitrary(50), caps, (messages, options) => expectPrefixesMatch(messages, options)), { numRuns: RUNS });
  });

  it('random conversations past the default window of 100 rows', () => {
    fc.assert(fc.property(conversationArbitrary(160, 101), (messages) => expectPrefixesMatch(messages, undefined)), { numRuns: 8 });
  });

  it('after snapshot and resume (through JSON) at random points', () => {
    const withPoints = conversationArbitrary(50).chain((messages) =>
      fc.tuple(fc.constant(messages), fc.uniqueArray(fc.nat({ max: Math.max(messages.length - 1, 0) }), { maxLength: 4 })),
    );
    fc.assert(fc.property(withPoints, caps, ([messages, points], options) => expectPrefixesMatch(messages, options, new Set(points))), { numRuns: RUNS });
  });

  it('the bundled sample conversations, one by one and run together (251 rows, past the window)', () => {
    for (const options of [undefined, { maxMessages: 4 }, { maxMessages: Infinity }]) {
      for (const messages of SAMPLE) expectPrefixesMatch(messages, options, new Set([2, 5]));
      expectPrefixesMatch(SAMPLE.flat(), options, new Set([50, 120, 121]));
    }
  });
});

describe('createAnalyzer', () => {
  it('appends one row or an array of rows', () => {
    const analyzer = createAnalyzer();
    analyzer.append({ from: 'human', value: 'hello' });
    analyzer.append(rows(['gpt', 'hi'], ['human', 'appreciate it']));
    expect(analyzer.size).toBe(3);
    expect(analyzer.report().interaction_signals.satisfaction.signals.map((s) => s.message_index)).toEqual([2]);
  });

  it('snapshots only the window: plain rows, at most maxMessages of them', () => {
    const analyzer = createAnalyzer({ maxMessages: 3 });
    analyzer.append(rows(['human', 'a'], ['gpt', 'b'], [' human', 'c'], ['observation', 'd'], ['human', 'e']));
    expect(analyzer.snapshot()).toEqual({ version: 1, size: 5, rows: rows([' human', 'c'], ['observation', 'd'], ['human', 'e']) });
    expect(createAnalyzer().snapshot()).toEqual({ version: 1, size: 0, rows: [] });
  });

  it('coerces malformed rows in snapshots as analyze does', () => {
    const analyzer = createAnalyzer();
    analyzer.append([null, { from: 'human' }] as unknown as Message[]);
    expect(analyzer.snapshot().rows).toEqual(rows(['', ''], ['human', '']));
  });

  it('resumes with a larger window only if the snapshot has the rows it needs', () => {
    const snapshot = { version: 1 as const, size: 10, rows: rows(['human', 'a'], ['gpt', 'b']) };
    expect(createAnalyzer({ maxMessages: 2 }, snapshot).size).toBe(10);
    expect(createAnalyzer({ maxMessages: 1 }, snapshot).snapshot().rows).toEqual(rows(['gpt', 'b']));
    expect(() => createAnalyzer({ maxMessages: 3 }, snapshot)).toThrow('createAnalyzer: snapshot has 2 rows but this window needs the last 3');
  });

  it('rejects malformed snapshots with the field at fault', () => {
    const bad = (value: unknown) => () => createAnalyzer(undefined, value as never);
    expect(bad(null)).toThrow('createAnalyzer: snapshot must be an object');
    expect(bad({ version: 2, size: 0, rows: [] })).toThrow('snapshot version must be 1, got 2');
    expect(bad({ version: 1, size: -1, rows: [] })).toThrow('snapshot size must be a non-negative integer, got -1');
    expect(bad({ version: 1, size: 1, rows: {} })).toThrow('snapshot rows must be an array');
    expect(bad({ version: 1, size: 1, rows: [{ from: 'human', value: 'a' }, { from: 'gpt', value: 'b' }] })).toThrow('snapshot has 2 rows for size 1');
    expect(bad({ version: 1, size: 2, rows: [{ from: 'human', value: 'a' }, { from: 'gpt' }] })).toThrow('snapshot rows[1] must be {from: string, value: string}');
  });

  it('validates options like analyze', () => {
    expect(() => createAnalyzer({ maxMessages: 0 })).toThrow('option "maxMessages" must be at least 1');
  });
});
