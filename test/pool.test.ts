import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleLines } from './helpers/sample.js';

const CLI = fileURLToPath(new URL('../dist/node/cli.js', import.meta.url));

function analyze(inputs: string[], threads: number) {
  const run = spawnSync(process.execPath, [CLI, 'analyze', ...inputs, '-q', '--threads', String(threads)], { maxBuffer: 1 << 28 });
  expect(run.stderr.toString()).toBe('');
  expect(run.status).toBe(0);
  return run.stdout;
}

/** `copies` rounds of the sample (ShareGPT or OpenAI), each conversation with a fresh id. */
function copiesOf(file: 'sharegpt' | 'openai', copies: number): string[] {
  const lines = sampleLines(file).map((line) => JSON.parse(line) as { id: string });
  return Array.from({ length: copies }, (_, round) => lines.map((row) => JSON.stringify({ ...row, id: `${row.id}#${round}` }))).flat();
}

let dir = '';
const files: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pool-'));
  // ~0.5 MB, 1 MB and 0.2 MB: several 256 KB batches over several files of both formats.
  for (const [name, file, copies] of [['a.jsonl', 'openai', 16], ['b.jsonl', 'sharegpt', 30], ['c.jsonl', 'sharegpt', 6]] as const) {
    files.push(join(dir, name));
    writeFileSync(files.at(-1)!, `${copiesOf(file, copies).join('\n')}\n`);
  }
});

describe('worker pool', () => {
  it('gives byte-identical output to --threads 1 (many batches, several files)', () => {
    const inline = analyze(files, 1);
    expect(inline.toString().split('\n')).toHaveLength(25 * (16 + 30 + 6) + 1);
    expect(analyze(files, 2).equals(inline)).toBe(true);
    expect(analyze(files, 3).equals(inline)).toBe(true);
  });

  it('keeps error lines in place with workers, for gzip input too', () => {
    const lines = copiesOf('sharegpt', 8);
    const withErrors = lines.flatMap((line, i) => (i % 25 === 7 ? [line, '{"id": "broken", "messages": [{"from": null}]}', '{oops'] : [line]));
    const path = join(dir, 'with-errors.jsonl.gz');
    writeFileSync(path, gzipSync(`${withErrors.join('\n')}\n`));
    const run = (threads: number) => spawnSync(process.execPath, [CLI, 'analyze', path, '--threads', String(threads)], { maxBuffer: 1 << 28 });
    const inline = run(1);
    const pooled = run(2);
    expect(pooled.stdout.equals(inline.stdout)).toBe(true);
    const errors = (stderr: Buffer) => stderr.toString().split('\n').filter((line) => line.startsWith(path));
    expect(errors(pooled.stderr)).toEqual(errors(inline.stderr));
    expect(errors(pooled.stderr)).toHaveLength(2 * 8);
  });
});
