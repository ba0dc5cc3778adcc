import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../helpers/corpus.js';

const CLI = fileURLToPath(new URL('../../dist/node/cli.js', import.meta.url));
const CORPUS = corpusPath('corpus');

function analyze(inputs: string[], threads: number) {
  const run = spawnSync(process.execPath, [CLI, 'analyze', ...inputs, '-q', '--threads', String(threads)], { maxBuffer: 1 << 28 });
  expect(run.stderr.toString()).toBe('');
  expect(run.status).toBe(0);
  return run.stdout;
}

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pool-'));
});

describe('worker pool', () => {
  it('gives byte-identical output to --threads 1 on corpus files (many batches, several files)', () => {
    const inputs = ['tau2-bench.openai.jsonl', 'sgd.sharegpt.jsonl', 'mint-bench.sharegpt.jsonl'].map((name) => join(CORPUS, name));
    const inline = analyze(inputs, 1);
    expect(inline.toString().split('\n')).toHaveLength(148 + 1595 + 469 + 1);
    expect(analyze(inputs, 2).equals(inline)).toBe(true);
    expect(analyze(inputs, 3).equals(inline)).toBe(true);
  });

  it('keeps error lines in place with workers, for gzip input too', () => {
    const lines = readFileSync(join(CORPUS, 'tau-bench.sharegpt.jsonl'), 'utf8').trimEnd().split('\n');
    const withErrors = lines.flatMap((line, i) => (i % 25 === 7 ? [line, '{"id": "broken", "messages": [{"from": null}]}', '{oops'] : [line]));
    const path = join(dir, 'with-errors.jsonl.gz');
    writeFileSync(path, gzipSync(`${withErrors.join('\n')}\n`));
    const run = (threads: number) => spawnSync(process.execPath, [CLI, 'analyze', path, '--threads', String(threads)], { maxBuffer: 1 << 28 });
    const inline = run(1);
    const pooled = run(2);
    expect(pooled.stdout.equals(inline.stdout)).toBe(true);
    const errors = (stderr: Buffer) => stderr.toString().split('\n').filter((line) => line.startsWith(path));
    expect(errors(pooled.stderr)).toEqual(errors(inline.stderr));
    expect(errors(pooled.stderr)).toHaveLength(2 * 7);
  });
});
