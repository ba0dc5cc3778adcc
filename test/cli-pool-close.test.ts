/**
 * `--threads 2` on an input shorter than one batch: the second thread may still be loading its modules when the run
 * ends, and Node 20 aborts the process ("v8::Module::IsGraphAsync", "CreateRequiredModuleFacade") if a thread is
 * terminated then. The pool closes once every thread said it is loaded (src/service/pool-threads.ts); before that,
 * about one run in 25 aborted here, and one in a few hundred while the thread said so from inside its loading.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILT_CLI as CLI } from './helpers/built-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'signals-pool-close-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function analyzeTiny(n: number): Promise<{ code: number | null; stderr: string; output: string }> {
  const input = join(dir, `tiny-${n}.jsonl`);
  const output = join(dir, `tiny-${n}.out.jsonl`);
  writeFileSync(input, `${JSON.stringify({ conversations: [{ from: 'human', value: 'where is my order?' }, { from: 'gpt', value: 'It ships today.' }] })}\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'analyze', input, '-o', output, '--quiet', '--threads', '2']);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      let out = '';
      try {
        out = readFileSync(output, 'utf8');
      } catch {
        // An aborted run may leave no output: the assertions say so.
      }
      resolve({ code, stderr, output: out });
    });
  });
}

describe('signals analyze --threads 2 on a one-line input', () => {
  it('ends cleanly every time (no abort while a thread loads)', async () => {
    // Two at a time, so the check stays short on a busy machine.
    const runs = [];
    for (let n = 0; n < 24; n += 2) runs.push(...(await Promise.all([analyzeTiny(n), analyzeTiny(n + 1)])));
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.output.trim().split('\n')).toHaveLength(1);
    }
  }, 300_000);
});
