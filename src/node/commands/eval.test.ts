import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureStdout } from '../../../test/helpers/capture-stdout.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SAMPLE, sampleJsonl } from '../../../test/helpers/sample.js';
import { outcomeOf, runEval } from './eval.js';

const dir = mkdtempSync(join(tmpdir(), 'eval-'));

afterEach(() => vi.restoreAllMocks());

describe('outcomeOf', () => {
  it('reads true/1 as success, false/0 as failure and anything else as unlabelled', () => {
    expect([true, 1, 'true'].map((v) => outcomeOf(v))).toEqual(['success', 'success', 'success']);
    expect([false, 0, 'false'].map((v) => outcomeOf(v))).toEqual(['failure', 'failure', 'failure']);
    expect([null, undefined, 0.5, 'yes'].map((v) => outcomeOf(v))).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('with a threshold, reads numbers (and numeric strings) as success at or above it', () => {
    expect([1, 0.99, 0, '1.0', 2, null, 'x', true].map((v) => outcomeOf(v, 1))).toEqual(['success', 'failure', 'failure', 'success', 'success', undefined, undefined, 'success']);
  });
});

describe('signals eval on the bundled sample', () => {
  it('computes the figures for every labelled conversation', async () => {
    const json = join(dir, 'eval.json');
    const chart = join(dir, 'eval.svg');
    const stdout = captureStdout();
    const code = await runEval([SAMPLE.sharegpt, '--label', 'success', '--json', json, '--chart', chart]);
    const table = stdout();
    expect(code).toBe(0);
    const figures = JSON.parse(readFileSync(json, 'utf8'));
    // 25 conversations, 14 written as failures (meta.success false in scripts/write-sample.mjs).
    expect(figures).toMatchObject({ profile: 'review', label: 'success', n: 25, failures: 14 });
    expect(figures.by_source['agent-signals-sample']).toMatchObject({ n: 25, failures: 14 });
    for (const key of ['auroc', 'precision_at_10', 'base_rate', 'lift']) expect(figures[key]).toBeGreaterThanOrEqual(0);
    expect(figures.base_rate).toBeCloseTo(14 / 25, 5);
    expect(figures.lift).toBeCloseTo(figures.precision_at_10 / figures.base_rate, 2);
    // The sample's failures are the conversations with signals: triage ranks them above chance.
    expect(figures.auroc).toBeGreaterThan(0.6);
    expect(table).toContain('| agent-signals-sample | 25 | 14 | 56.0% |');
    expect(readFileSync(chart, 'utf8')).toMatch(/^<svg /);
  });
});

describe('signals eval inputs', () => {
  it('skips unlabelled conversations and fails when none is labelled', async () => {
    const rows = [
      { id: 'a', messages: [{ from: 'human', value: 'hi' }], meta: { ok: false, source: 's' } },
      { id: 'b', messages: [{ from: 'human', value: 'hello' }], meta: { ok: 1, source: 's' } },
      { id: 'c', messages: [{ from: 'human', value: 'hey' }], meta: { ok: null } },
    ];
    const file = join(dir, 'tiny.jsonl');
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const json = join(dir, 'tiny.json');
    const stdout = captureStdout();
    expect(await runEval([file, '--label', 'ok', '--json', json])).toBe(0);
    expect(stdout()).toContain('Skipped 1 conversation(s) without a true/false meta.ok.');
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ n: 2, failures: 1, by_source: { s: { n: 2 } } });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await runEval([file, '--label', 'missing'])).toBe(1);
    expect(await runEval([file])).toBe(2);
    stderr.mockRestore();
  });
});

describe('signals eval on tau results (meta.reward)', () => {
  it('refuses a numeric label without --threshold (exit 2), and counts reward >= threshold as success', async () => {
    // tau-bench results built from the sample: reward 1 for the conversations written as successes, else 0 or 0.5.
    const results = sampleJsonl<{ messages: unknown[]; meta: { success: boolean } }>('openai').map((row, i) => ({
      task_id: i,
      trial: 0,
      reward: row.meta.success ? 1 : i % 2 ? 0.5 : 0,
      info: {},
      traj: row.messages,
    }));
    const file = join(dir, 'tau-results.json');
    writeFileSync(file, JSON.stringify(results));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await runEval([file, '--label', 'reward'])).toBe(2);
    expect(String(stderr.mock.calls.at(-1)?.[0])).toBe('signals eval: 7 conversation(s) have a numeric meta.reward other than 0/1: add --threshold T (success when meta.reward >= T)\n');
    expect(await runEval([file, '--label', 'reward', '--threshold', 'high'])).toBe(2);
    stderr.mockRestore();
    const json = join(dir, 'tau.json');
    const stdout = captureStdout();
    expect(await runEval([file, '--label', 'reward', '--threshold', '1', '--json', json])).toBe(0);
    stdout();
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ label: 'reward', n: 25, failures: 14 });
  });
});
