/**
 * The HTTP batch endpoint and the CLI share one per-record function (src/records/analyze-record.ts): the same
 * fuzzed JSON Lines go through `POST /v1/analyze/batch` and through the CLI's `processBatch`, and every output line
 * must agree (report lines byte for byte, error lines by id and message). Before the shared function, 101 of
 * 12,000 such lines disagreed (escaped lone surrogates, ids, blank lines).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createApp, configFromEnv } from '../../src/http/app.js';
import { processBatch } from '../../src/node/process-batch.js';
import { BUILT_CLI as CLI } from '../helpers/built-cli.js';


const text = fc.constantFrom('hi', 'I give up', 'no, i meant paris', 'error 429 rate limit', '\\ud800', '\\udc00x', '\\ud83d\\ude00', 'é', '', ' ');
const id = fc.constantFrom('1', '1.0', '2.50', '12345678901234567890', '"a"', 'null', '{"b":1e2}', '[1,2.0]', 'true', '-0');
const sharegptRow = fc.tuple(fc.constantFrom('human', 'gpt', 'observation', 'function_call', 'x'), text).map(([from, value]) => `{"from":"${from}","value":"${value}"}`);
const openaiRow = fc.tuple(fc.constantFrom('user', 'assistant', 'tool', 'system'), text).map(([role, content]) => `{"role":"${role}","content":"${content}"}`);
const record = fc.oneof(
  fc.tuple(id, fc.array(sharegptRow, { maxLength: 4 })).map(([i, rows]) => `{"id":${i},"messages":[${rows.join(',')}]}`),
  fc.tuple(id, fc.array(openaiRow, { maxLength: 4 })).map(([i, rows]) => `{"id":${i},"messages":[${rows.join(',')}]}`),
  fc.array(openaiRow, { maxLength: 3 }).map((rows) => `{"task_id":3,"trial":1,"reward":0,"traj":[${rows.join(',')}]}`),
  fc.constantFrom('{"resourceSpans":[]}', '"text"', '42', '[]', '{"id":1}', '{"messages":{}}', '{"id":2,"messages":[{"from":1}]}'),
  fc.constantFrom('{oops', '{"id":1,"messages":[', '\uFEFF{"messages":[]}', '[[[[[[[[]]]]]]]]', `${'['.repeat(1001)}${']'.repeat(1001)}`),
);
// Blank and whitespace-wrapped lines: JS trim and Unicode White_Space disagree on U+FEFF and U+0085.
const line = fc.tuple(fc.constantFrom('', ' ', '\t', '\r', '\u0085', '\u3000', '\u00a0', '\uFEFF'), record, fc.constantFrom('', ' ', '\r', '\u2028')).map(
  ([before, body, after]) => before + body + after,
);

/** An HTTP error line `{"id","error":{"code","message"}}` as the CLI writes it: `{"id","error":"message"}`. */
function asCliLine(httpLine: string): string {
  const parsed = JSON.parse(httpLine) as { error?: { message: string } };
  if (parsed.error === undefined) return httpLine;
  return JSON.stringify({ ...parsed, error: parsed.error.message });
}

describe('HTTP batch and CLI agree on every record', () => {
  it('fuzzed JSON Lines: the same output lines', async () => {
    const lines = fc.sample(fc.oneof({ weight: 1, arbitrary: fc.constantFrom('', '  ', '\u0085') }, { weight: 9, arbitrary: line }), { numRuns: 3000, seed: 16 });
    const body = lines.join('\n');
    const cli = Buffer.from(
      processBatch({ source: 'in', unit: 'line', first: 1, bytes: Buffer.from(body), settings: { analyzeOptions: { maxMessages: 100 }, keepReports: false }, stopAtRejection: false }).output,
    )
      .toString('utf8')
      .trimEnd()
      .split('\n');
    const app = createApp(configFromEnv({}));
    const res = await app.request('/v1/analyze/batch?max_messages=100', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    expect(res.status).toBe(200);
    const http = (await res.text())
      .trimEnd()
      .split('\n')
      // The endpoint keeps one line per input even for a record without conversations; the CLI writes none.
      .filter((l) => !l.endsWith(': the record holds no conversation"}}'))
      .map(asCliLine);
    expect(http.length).toBe(cli.length);
    const differing = http.map((l, i) => [l, cli[i]]).filter(([a, b]) => a !== b);
    expect(differing.slice(0, 3)).toEqual([]);
    // The fuzz reaches both outcomes, and the lone surrogates are refused on both paths.
    expect(cli.some((l) => l.includes('"report"'))).toBe(true);
    expect(cli.some((l) => l.includes('unpaired surrogate'))).toBe(true);
  });

  it('a 150-row conversation that starts "I give up": HTTP gives the CLI\'s bucket for the same --max-messages', async () => {
    const rows = [
      { from: 'human', value: 'I give up' },
      ...Array.from({ length: 149 }, (_, i) => ({ from: i % 2 ? 'human' : 'gpt', value: `step ${i} done` })),
    ];
    const dir = mkdtempSync(join(tmpdir(), 'max-messages-'));
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, `${JSON.stringify({ id: 'g', messages: rows })}\n`);
    const app = createApp(configFromEnv({}));
    const buckets: string[] = [];
    for (const [cliArgs, query] of [[[], '?max_messages=100'], [['--max-messages', '2000'], ''], [['--max-messages', 'all'], '?max_messages=all']] as const) {
      const out = join(dir, 'out.jsonl');
      execFileSync(process.execPath, [CLI, 'analyze', input, '-q', '-o', out, ...cliArgs]);
      const cli = (JSON.parse(readFileSync(out, 'utf8')) as { report: { overall_quality: string } }).report.overall_quality;
      const res = await app.request(`/v1/analyze${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: rows }) });
      const http = ((await res.json()) as { report: { overall_quality: string } }).report.overall_quality;
      expect(http, `${cliArgs.join(' ')} vs ${query}`).toBe(cli);
      buckets.push(http);
    }
    // The CLI's default window of 100 rows misses the first message; 2000 rows and all see it.
    expect(buckets).toEqual(['neutral', 'severe', 'severe']);
  });
});
