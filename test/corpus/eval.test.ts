import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureStdout } from '../helpers/capture-stdout.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runEval } from '../../src/node/commands/eval.js';
import { corpusPath } from '../helpers/corpus.js';

const CORPUS = corpusPath('corpus');
const FILES = ['tau-bench', 'tau2-bench', 'mint-bench'].map((name) => `${CORPUS}/${name}.sharegpt.jsonl`);
const dir = mkdtempSync(join(tmpdir(), 'eval-'));

afterEach(() => vi.restoreAllMocks());

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
