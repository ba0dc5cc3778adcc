import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleLines } from './helpers/sample.js';
import { signals } from './helpers/built-cli.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/formats/', import.meta.url));


const outputLines = (stdout: string) => stdout.trimEnd().split('\n');

let dir = '';
const records = sampleLines('openai');
const jsonl = `${records.join('\n')}\n`;
let expected = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-inputs-'));
  writeFileSync(join(dir, 'part.jsonl'), jsonl);
  expected = signals(['analyze', join(dir, 'part.jsonl'), '-q', '--threads', '1']).stdout;
  expect(outputLines(expected)).toHaveLength(25);
});

describe('signals analyze inputs', () => {
  it('reads gzip by content, whatever the name', () => {
    writeFileSync(join(dir, 'part.jsonl.gz'), gzipSync(jsonl));
    writeFileSync(join(dir, 'part-gz.data'), gzipSync(jsonl));
    expect(signals(['analyze', join(dir, 'part.jsonl.gz'), '-q']).stdout).toBe(expected);
    expect(signals(['analyze', join(dir, 'part-gz.data'), '-q']).stdout).toBe(expected);
  });

  it('streams a JSON array of records, gzipped or not, like the same records as JSONL', () => {
    const array = `[\n${records.join(',\n')}\n]\n`;
    writeFileSync(join(dir, 'part.json'), array);
    writeFileSync(join(dir, 'part.json.gz'), gzipSync(array));
    expect(signals(['analyze', join(dir, 'part.json'), '-q']).stdout).toBe(expected);
    expect(signals(['analyze', join(dir, 'part.json.gz'), '-q']).stdout).toBe(expected);
  });

  it('names the item where a JSON array breaks', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, `[${records[0]}, ${records[1]}, {"id": oops}]`);
    const run = signals(['analyze', path, '--threads', '1']);
    const lines = outputLines(run.stdout);
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[2])).toEqual({ id: null, error: expect.stringMatching(/^item 3: invalid JSON/) });
    expect(run.stderr).toContain(`${path}: item 3: invalid JSON`);
  });

  it('reads stdin with - and when no file is given', () => {
    expect(signals(['analyze', '-', '-q'], jsonl).stdout).toBe(expected);
    expect(signals(['analyze', '-q'], jsonl).stdout).toBe(expected);
  });

  it('expands quoted globs in sorted order', () => {
    const globDir = join(dir, 'glob');
    mkdirSync(join(globDir, 'sub'), { recursive: true });
    writeFileSync(join(globDir, 'b.jsonl'), `${records.slice(12).join('\n')}\n`);
    writeFileSync(join(globDir, 'a.jsonl'), `${records.slice(0, 12).join('\n')}\n`);
    writeFileSync(join(globDir, 'notes.txt'), 'not input');
    expect(signals(['analyze', `${globDir}/*.jsonl`, '-q']).stdout).toBe(expected);
    writeFileSync(join(globDir, 'sub', 'c.jsonl'), `${records[0]}\n`);
    expect(outputLines(signals(['analyze', `${globDir}/**/*.jsonl`, '-q']).stdout)).toHaveLength(26);
  });

  it('reads tau-bench result arrays and puts reward and task id on each line', () => {
    const results = records.slice(0, 3).map((line, i) => {
      const { messages, meta } = JSON.parse(line);
      return { task_id: 10 + i, trial: i % 2, reward: meta.success ? 1 : 0, info: {}, traj: messages };
    });
    const path = join(dir, 'tau-results.json');
    writeFileSync(path, JSON.stringify(results, null, 2));
    const lines = outputLines(signals(['analyze', path, '-q']).stdout).map((line) => JSON.parse(line));
    expect(lines.map((line) => line.meta)).toEqual(results.map(({ task_id, trial, reward }) => ({ task_id, trial, reward })));
    expect(lines.map((line) => line.report)).toEqual(outputLines(expected).slice(0, 3).map((line) => JSON.parse(line).report));
  });

  it('reads an OTLP export document, one line per conversation', () => {
    const lines = outputLines(signals(['analyze', join(FIXTURES, 'otlp-agent.json'), '-q']).stdout).map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.id, line.meta.trace_id])).toEqual([
      ['conv-1', 'aaaa'],
      ['bbbb', 'bbbb'],
    ]);
    expect(lines[0].report.environment_signals.exhaustion.count).toBe(1);
  });

  it('detects the format per line and follows --format', () => {
    const mixed = [
      { id: 's', messages: [{ from: 'human', value: 'hi' }] },
      { id: 'o', messages: [{ role: 'user', content: 'hi' }] },
      { id: 'a', system: 'x', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
      { id: 'r', input: 'hi' },
    ];
    const lines = outputLines(signals(['analyze', '-', '-q'], mixed.map((r) => JSON.stringify(r)).join('\n')).stdout).map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.id, line.report.summary])).toEqual(mixed.map(({ id }) => [id, lines[0].report.summary]));
    const forced = signals(['analyze', '-', '-q', '--format', 'openai'], JSON.stringify(mixed[0]));
    expect(JSON.parse(forced.stdout)).toEqual({ id: 's', error: 'line 1: messages[0]: unknown role null' });
  });
});
