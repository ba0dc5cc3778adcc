import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import { AnalyzerCache } from './analyzer-cache.js';
import { serializeReport } from './serialize.js';
import type { Message } from './types.js';
import { call, rows } from '../../test/helpers/rows.js';

/** A conversation as successive LLM calls see it: each call's rows repeat the previous ones. */
const turns: Message[][] = [
  rows(['human', 'Find order 12 please']),
  rows(['human', 'Find order 12 please'], call('get_order', { id: 12 }), ['observation', 'Error 503 Service Unavailable']),
  rows(['human', 'Find order 12 please'], call('get_order', { id: 12 }), ['observation', 'Error 503 Service Unavailable'], ['gpt', 'Sorry, the order service is down.'], ['human', 'I want to talk to a human']),
];

const bytes = (messages: readonly Message[]) => serializeReport(analyze(messages));

describe('AnalyzerCache', () => {
  it('appends only the rows each call adds and reports what analyze reports', () => {
    const cache = new AnalyzerCache();
    for (const messages of turns) expect(serializeReport(cache.report('c1', messages))).toBe(bytes(messages));
    expect(cache.stats).toEqual({ appended: 5, restarts: 0, evicted: 0 });
    expect(cache.size).toBe(1);
  });

  it('starts over when the rows do not continue what it has seen (edited or shortened history)', () => {
    const cache = new AnalyzerCache();
    cache.report('c1', turns[2]);
    const edited = rows(['human', 'Find order 13 please'], ...turns[2].slice(1).map((m) => [m.from, m.value] as [string, string]), ['gpt', 'ok']);
    expect(serializeReport(cache.report('c1', edited))).toBe(bytes(edited));
    expect(serializeReport(cache.report('c1', turns[0]))).toBe(bytes(turns[0]));
    expect(cache.stats).toMatchObject({ restarts: 2, appended: 5 + 6 + 1 });
  });

  it('past the window, only the window has to match', () => {
    const cache = new AnalyzerCache({ maxMessages: 2 });
    const first = rows(['human', 'a'], ['gpt', 'b'], ['human', 'c']);
    cache.report('c1', first);
    // Row 0 left the window: a different row 0 gives the same report as a full analysis, without a restart.
    const next = rows(['human', 'x'], ['gpt', 'b'], ['human', 'c'], ['gpt', 'd']);
    expect(serializeReport(cache.report('c1', next))).toBe(serializeReport(analyze(next, { maxMessages: 2 })));
    expect(cache.stats.restarts).toBe(0);
  });

  it('appendTo appends rows known to continue the conversation, only at the size it holds', () => {
    const cache = new AnalyzerCache();
    expect(cache.appendTo('c1', 0, turns[0])).toBeUndefined(); // no such conversation yet
    cache.report('c1', turns[1]);
    expect(cache.appendTo('c1', 2, turns[2].slice(3))).toBeUndefined(); // it holds 3 rows, not 2
    const report = cache.appendTo('c1', 3, turns[2].slice(3));
    expect(report && serializeReport(report)).toBe(bytes(turns[2]));
    expect(cache.stats).toEqual({ appended: 5, restarts: 0, evicted: 0 });
  });

  it('keeps conversations apart', () => {
    const cache = new AnalyzerCache();
    cache.report('a', turns[1]);
    expect(serializeReport(cache.report('b', turns[0]))).toBe(bytes(turns[0]));
    expect(cache.size).toBe(2);
  });

  it('evicts the least recently used conversation beyond maxConversations', () => {
    const cache = new AnalyzerCache(undefined, { maxConversations: 2 });
    cache.report('a', turns[0]);
    cache.report('b', turns[0]);
    cache.report('a', turns[1]); // a is now the most recent
    cache.report('c', turns[0]); // evicts b
    expect(cache.stats.evicted).toBe(1);
    cache.report('a', turns[2]);
    expect(cache.stats.restarts).toBe(0);
    expect(cache.stats.appended).toBe(1 + 1 + 2 + 1 + 2);
    cache.report('b', turns[1]); // b was evicted: its three rows are appended afresh, and c (least recent) goes
    expect(cache.stats).toEqual({ appended: 7 + 3, restarts: 0, evicted: 2 });
  });

  it('drops conversations idle for idleMs', () => {
    let clock = 0;
    const cache = new AnalyzerCache(undefined, { idleMs: 1000, now: () => clock });
    cache.report('a', turns[0]);
    clock = 500;
    cache.report('b', turns[0]);
    clock = 1200; // a idle for 1200 ms, b for 700 ms
    cache.report('b', turns[1]);
    expect(cache.size).toBe(1);
    expect(cache.stats.evicted).toBe(1);
    cache.report('a', turns[1]);
    expect(cache.stats.appended).toBe(1 + 1 + 2 + 3);
  });

  it('forgets on delete and clear', () => {
    const cache = new AnalyzerCache();
    cache.report('a', turns[0]);
    cache.report('b', turns[0]);
    expect(cache.delete('a')).toBe(true);
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('rejects bad bounds and options when built, and non-array rows when called', () => {
    expect(() => new AnalyzerCache(undefined, { maxConversations: 0 })).toThrow('AnalyzerCache: maxConversations must be at least 1, got 0');
    expect(() => new AnalyzerCache(undefined, { idleMs: 0 })).toThrow('AnalyzerCache: idleMs must be positive, got 0');
    expect(() => new AnalyzerCache({ maxMessages: 0 })).toThrow('option "maxMessages" must be at least 1');
    expect(() => new AnalyzerCache().report('a', 'x' as never)).toThrow('AnalyzerCache.report: messages must be an array');
  });
});
