import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { outcomeOf, runEval } from './eval.js';

const CORPUS = '/work/shared/corpus';
const FILES = ['tau-bench', 'tau2-bench', 'mint-bench'].map((name) => `${CORPUS}/${name}.sharegpt.jsonl`);
const dir = mkdtempSync(join(tmpdir(), 'eval-'));

function captureStdout(): () => string {
  let text = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    text += String(chunk);
    return true;
  });
  return () => {
    spy.mockRestore();
    return text;
  };
}

afterEach(() => vi.restoreAllMocks());

describe('outcomeOf', () => {
  it('reads true/1 as success, false/0 as failure and anything else as unlabelled', () => {
    expect([true, 1, 'true'].map(outcomeOf)).toEqual(['success', 'success', 'success']);
    expect([false, 0, 'false'].map(outcomeOf)).toEqual(['failure', 'failure', 'failure']);
    expect([null, undefined, 0.5, 'yes'].map(outcomeOf)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('signals eval on the labelled corpus', () => {
  it('computes the figures for every labelled conversation, per source and together', async () => {
    const json = join(dir, 'eval.json');
    const chart = join(dir, 'eval.svg');
    const stdout = captureStdout();
    const code = await runEval([...FILES, '--label', 'success', '--json', json, '--chart', chart]);
    const table = stdout();
    expect(code).toBe(0);
    const figures = JSON.parse(readFileSync(json, 'utf8'));
    // Labelled counts and failures from corpus/README.md.
    expect(figures).toMatchObject({ profile: 'review', label: 'success', n: 781, failures: 360 });
    expect(figures.by_source['tau-bench']).toMatchObject({ n: 164, failures: 92 });
    expect(figures.by_source['tau2-bench']).toMatchObject({ n: 148, failures: 47 });
    expect(figures.by_source['mint-bench']).toMatchObject({ n: 469, failures: 221 });
    for (const f of [figures, ...Object.values(figures.by_source)] as Record<string, number>[]) {
      for (const key of ['auroc', 'precision_at_10', 'base_rate', 'lift']) {
        expect(f[key]).toBeGreaterThanOrEqual(0);
      }
      expect(f.lift).toBeCloseTo(f.precision_at_10 / f.base_rate, 2);
    }
    // A regression guard well inside what the profile reaches (0.78 and 1.6× when this was written).
    expect(figures.auroc).toBeGreaterThan(0.72);
    expect(figures.lift).toBeGreaterThan(1.3);
    expect(figures.auroc).toBeGreaterThan(figures.reference.auroc);
    const types = figures.signal_types.map((t: { type: string }) => t.type);
    expect(types).toContain('interaction.stagnation.repetition');
    expect(types).toContain('triage.pushback');
    expect(types).not.toContain('triage.loops');
    expect(table).toContain('| **all** | 781 | 360 | 46.1% |');
    expect(readFileSync(chart, 'utf8')).toContain('tau2-bench (n=148)');
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
