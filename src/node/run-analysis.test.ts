import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SignalReport } from '../core/types.js';
import type { Batch, BatchResult } from './batch.js';
import type { BatchRunner } from './batch-runner.js';
import { processBatch } from './process-batch.js';
import { silentProgress } from './progress.js';
import { BATCH_BYTES, runAnalysis } from './run-analysis.js';
import { newTotals } from './run-totals.js';

/**
 * Runs batches inline but holds their answers until three are in flight, then resolves them in reverse order of
 * arrival; records how many were in flight. Held answers also go once no batch came for a second (the input's last
 * batches): a timer deciding the peak made the test depend on the machine's speed.
 */
function shuffledRunner() {
  let inFlight = 0;
  let peak = 0;
  const waiting: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  const releaseAll = () => {
    clearTimeout(timer);
    // Newest first: `waiting` is in reverse order of arrival.
    for (const release of waiting.splice(0)) release();
  };
  const runner: BatchRunner = {
    run(batch: Batch) {
      inFlight++;
      peak = Math.max(peak, inFlight);
      return new Promise<BatchResult>((resolve) => {
        waiting.unshift(() => {
          inFlight--;
          resolve(processBatch(batch));
        });
        clearTimeout(timer);
        if (waiting.length >= 3) releaseAll();
        else timer = setTimeout(releaseAll, 1000);
      });
    },
    close: async () => {},
  };
  return { runner, peak: () => peak };
}

function inputFile(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'run-analysis-')), 'in.jsonl');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function run(path: string, strict: boolean, runner: BatchRunner) {
  let output = '';
  const consumed: Array<{ id: unknown; report: SignalReport; meta?: unknown }> = [];
  const printed: string[] = [];
  const totals = newTotals(1, undefined, 1);
  const outcome = await runAnalysis({
    inputs: [path],
    settings: { analyzeOptions: {} },
    runner,
    maxInFlight: 3,
    strict,
    output: { write: async (bytes) => void (output += Buffer.from(bytes).toString('utf8')), close: async () => {} },
    consumers: [{ write: (id, report, meta) => void consumed.push({ id, report, meta }), close: async () => {} }],
    progress: silentProgress({ write: (text: string) => printed.push(text) }),
    totals,
  });
  return { outcome, output, consumed, printed, totals };
}

// Long enough lines that the file spans many batches.
const padding = 'x'.repeat(Math.ceil(BATCH_BYTES / 20));
const line = (id: number) => JSON.stringify({ id, messages: [{ from: 'gpt', value: padding }], meta: { n: id } });

describe('runAnalysis', () => {
  it('writes results in input order with a bounded number of batches in flight, feeding the consumers', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => line(i));
    const { runner, peak } = shuffledRunner();
    const { outcome, output, consumed, totals } = await run(inputFile(lines), false, runner);
    expect(outcome.strictStop).toBe(false);
    expect(output.trimEnd().split('\n').map((text) => JSON.parse(text).id)).toEqual(lines.map((_, i) => i));
    expect(consumed.map(({ id, meta }) => [id, meta])).toEqual(lines.map((_, i) => [i, { n: i }]));
    expect(peak()).toBeLessThanOrEqual(3);
    expect(peak()).toBeGreaterThan(1);
    expect(totals.scored).toBe(100);
    expect(totals.inputBytes).toBeGreaterThan(100 * padding.length);
  });

  it('stops at the first rejected record under --strict', async () => {
    const lines = [line(0), line(1), 'not json', ...Array.from({ length: 60 }, (_, i) => line(i + 2))];
    const { runner } = shuffledRunner();
    const path = inputFile(lines);
    const { outcome, output, printed, totals } = await run(path, true, runner);
    expect(outcome.strictStop).toBe(true);
    expect(output.trimEnd().split('\n')).toHaveLength(3);
    expect(printed).toEqual([expect.stringMatching(new RegExp(`^${path}:3: invalid JSON`))]);
    expect([totals.scored, totals.rejected]).toEqual([2, 1]);
  });
});
