import { describe, expect, it } from 'vitest';
import { analyze, serializeReportLine } from '../core/index.js';
import { analyzeRecord, errorLine, idJsonOf, reportLine } from './analyze-record.js';

const settings = { analyzeOptions: {}, keepReports: false };

describe('analyzeRecord', () => {
  it('analyzes a ShareGPT line into the reference line, without echoing its meta', () => {
    const rows = [{ from: 'human', value: 'this is useless, forget it' }];
    const outcome = analyzeRecord(JSON.stringify({ id: 'a', messages: rows, meta: { reward: 1 } }), settings);
    expect(outcome).toMatchObject({ ok: true, lines: [serializeReportLine('a', analyze(rows))], kept: [] });
  });

  it('echoes the meta of tau results on the output line', () => {
    const outcome = analyzeRecord(JSON.stringify({ task_id: 3, trial: 1, reward: 0, traj: [{ role: 'user', content: 'hi' }] }), settings);
    expect(outcome.ok && outcome.lines[0]).toMatch(/^\{"id":"task3:trial1","report":\{.*\},"meta":\{"task_id":3,"trial":1,"reward":0\}\}$/);
  });

  it('keeps reports with their meta for consumers when asked', () => {
    const outcome = analyzeRecord('{"id":1,"messages":[],"meta":{"m":true}}', { ...settings, keepReports: true });
    expect(outcome.ok && outcome.kept).toEqual([{ id: 1, report: analyze([]), meta: { m: true } }]);
  });

  it('honours a forced format and the analyze options', () => {
    const rows = Array.from({ length: 8 }, (_, i) => ({ role: 'user', content: `question number ${i}` }));
    const outcome = analyzeRecord(JSON.stringify({ id: 1, messages: rows }), { ...settings, format: 'openai', analyzeOptions: { maxMessages: 3 } });
    const expected = analyze(rows.map((row) => ({ from: 'human', value: row.content })), { maxMessages: 3 });
    expect(outcome.ok && outcome.reports).toEqual([expected]);
  });

  it('rejects invalid JSON and bad shapes with one-line messages, keeping the id when there is one', () => {
    const broken = analyzeRecord('{"id": 1, "messages": [', settings);
    expect(broken).toMatchObject({ ok: false, id: null });
    expect(!broken.ok && broken.message).toMatch(/^invalid JSON \(/);
    expect(analyzeRecord('{"id": 7, "messages": [{"from": 1}]}', settings)).toEqual({ ok: false, id: 7, code: 'invalid_conversation', message: 'messages[0]: "from" must be a string, got number' });
    expect(analyzeRecord('{"id": 2, "messages": [{"from": "human", "value": "\\ud800"}]}', settings)).toEqual({
      ok: false,
      id: null,
      code: 'malformed_json',
      message: 'invalid JSON (unpaired surrogate in a \\u escape)',
    });
    expect(analyzeRecord('"text"', settings)).toMatchObject({ ok: false, id: null, code: 'unknown_format', message: expect.stringMatching(/^unrecognized record/) });
    expect(analyzeRecord(`${'['.repeat(1001)}${']'.repeat(1001)}`, settings)).toMatchObject({
      ok: false,
      code: 'malformed_json',
      message: 'invalid JSON (nesting deeper than 1000 levels at offset 1000)',
    });
  });

  it('refuses a conversation longer than maxRows, and analyzes the last maxMessages rows', () => {
    const rows = Array.from({ length: 6 }, (_, i) => ({ from: 'human', value: `q${i}` }));
    const text = JSON.stringify({ id: 'long', messages: rows });
    expect(analyzeRecord(text, { ...settings, maxRows: 5 })).toMatchObject({ ok: false, id: 'long', code: 'too_many_messages' });
    const windowed = analyzeRecord(text, { ...settings, analyzeOptions: { maxMessages: 5 }, maxRows: 6 });
    expect(windowed.ok && windowed.reports).toEqual([analyze(rows, { maxMessages: 5 })]);
  });
});

describe('reportLine and errorLine', () => {
  it('appends meta inside the line object', () => {
    const report = analyze([]);
    expect(reportLine('1', report, { r: 1 })).toBe(`${serializeReportLine(1, report).slice(0, -1)},"meta":{"r":1}}`);
    expect(reportLine('1', report, undefined)).toBe(serializeReportLine(1, report));
  });

  it('echoes ids as the reference re-serializes them: number kinds and digits kept, 2.50 → 2.5', () => {
    const idOf = (text: string) => {
      const outcome = analyzeRecord(text, settings);
      return outcome.ok ? outcome.lines[0].slice(0, outcome.lines[0].indexOf(',"report"')) : outcome.message;
    };
    expect(idOf('{"id":1.0,"messages":[]}')).toBe('{"id":1.0');
    expect(idOf('{"id":2.50,"messages":[]}')).toBe('{"id":2.5');
    expect(idOf('{"id":12345678901234567890,"messages":[]}')).toBe('{"id":12345678901234567890');
    expect(idOf('{"id":{"b":1e2,"a":[1,2.0]},"messages":[]}')).toBe('{"id":{"b":100.0,"a":[1,2.0]}');
    expect(idOf('{"id":"x","messages":[]}')).toBe('{"id":"x"');
    expect(idOf('{"messages":[]}')).toBe('{"id":null');
    expect(idJsonOf(true, {}, '')).toBe('true');
  });

  it('writes the location in the error', () => {
    expect(errorLine(undefined, 'line 4', 'invalid JSON (x)')).toBe('{"id":null,"error":"line 4: invalid JSON (x)"}');
    expect(errorLine('a', 'item 2', 'bad')).toBe('{"id":"a","error":"item 2: bad"}');
  });
});
