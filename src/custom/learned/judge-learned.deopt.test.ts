// The learned judge's optimized code stays optimized on live traffic. Its probabilities were arrays whose element
// kind followed the values (see `softmax`), and V8 threw the optimized `predict` away and compiled it again: 163 times
// in one 10,000-span window of the service benchmark, 183-195 times in the run below. The run is the benchmark of
// span-scope judging as a judge thread does it (bench/judge-thread.mjs: the service benchmark's generated traffic,
// the built judge in dist/) in a Node of its own with `--trace-deopt`.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BENCH = fileURLToPath(new URL('../../../bench/judge-thread.mjs', import.meta.url));

describe('learned judge, optimized code', () => {
  it('is not thrown away again and again on a stream of span targets', () => {
    const out = execFileSync(process.execPath, ['--trace-deopt', BENCH], {
      encoding: 'utf8',
      env: { ...process.env, JUDGE_REPLICAS: '8', JUDGE_WARM: '7' },
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(out).toMatch(/verdicts sha256 [0-9a-f]{16}/);
    const deopts = out.split('\n').filter((line) => /deoptimizing .*<JSFunction predict /.test(line));
    expect(deopts.length).toBeLessThanOrEqual(5);
  }, 120_000);
});
