/** The `signals analyze --threads` cases (the built CLI in a child process), run on the sample and the corpus. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BUILT_CLI as CLI } from './built-cli.js';


function analyze(inputs: string[], threads: number) {
  const run = spawnSync(process.execPath, [CLI, 'analyze', ...inputs, '-q', '--threads', String(threads)], { maxBuffer: 1 << 28 });
  expect(run.stderr.toString()).toBe('');
  expect(run.status).toBe(0);
  return run.stdout;
}

/**
 * Declares the pool cases: `files()` (called when the tests run) holds `conversations` conversations in all;
 * `lines` are conversations to mix with broken records, one pair of them after every 25th line.
 */
export function poolCases(opts: { files: () => string[]; conversations: number; lines: () => string[] }): void {
  describe('worker pool', () => {
    it('gives byte-identical output to --threads 1 (many batches, several files)', () => {
      const files = opts.files();
      const inline = analyze(files, 1);
      expect(inline.toString().split('\n')).toHaveLength(opts.conversations + 1);
      expect(analyze(files, 2).equals(inline)).toBe(true);
      expect(analyze(files, 3).equals(inline)).toBe(true);
    });

    it('keeps error lines in place with workers, for gzip input too', () => {
      const lines = opts.lines();
      const withErrors = lines.flatMap((line, i) => (i % 25 === 7 ? [line, '{"id": "broken", "messages": [{"from": null}]}', '{oops'] : [line]));
      const path = join(mkdtempSync(join(tmpdir(), 'pool-')), 'with-errors.jsonl.gz');
      writeFileSync(path, gzipSync(`${withErrors.join('\n')}\n`));
      const run = (threads: number) => spawnSync(process.execPath, [CLI, 'analyze', path, '--threads', String(threads)], { maxBuffer: 1 << 28 });
      const inline = run(1);
      const pooled = run(2);
      expect(pooled.stdout.equals(inline.stdout)).toBe(true);
      const errors = (stderr: Buffer) => stderr.toString().split('\n').filter((line) => line.startsWith(path));
      expect(errors(pooled.stderr)).toEqual(errors(inline.stderr));
      // Every broken line inserted is reported once, at its place.
      expect(errors(pooled.stderr)).toHaveLength(withErrors.length - lines.length);
    });
  });
}
