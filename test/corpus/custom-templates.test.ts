/**
 * The six templates' rules judges measured with `signals eval --signal` on the labelled dev splits
 * (../shared/corpus/labels) and task outcome on the corpus (meta.success). The README's figures come from
 * these runs; the test checks that the runs are complete and that each rules judge beats always-the-majority
 * on its dev split (task outcome is reported as measured, see README).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../helpers/corpus.js';
import { BUILT_CLI as CLI } from '../helpers/built-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'custom-corpus-'));

function evalSignal(signal: string, file: string, label: string) {
  const json = join(dir, `${signal}-${label}.json`);
  const run = spawnSync(process.execPath, [CLI, 'eval', '--signal', signal, file, '--label', label, '--json', json], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(readFileSync(json, 'utf8')) as { n: number; undecided: number; error: number; macro_f1: number; baseline: { macro_f1: number } };
}

const lineCount = (path: string) => readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').length;

describe('templates on the labelled dev splits', () => {
  for (const signal of ['nsfw', 'jailbreak', 'refusal', 'frustration', 'sentiment']) {
    it(`${signal}: every conversation judged, macro-F1 above the majority baseline`, () => {
      const file = corpusPath('corpus', 'labels', `${signal}.dev.jsonl`);
      const r = evalSignal(signal, file, 'label');
      expect(r.n + r.undecided + r.error).toBe(lineCount(file));
      expect(r.error).toBe(0);
      expect(r.macro_f1).toBeGreaterThan(r.baseline.macro_f1);
    });
  }
});

describe('task outcome against meta.success', () => {
  for (const source of ['tau-bench', 'tau2-bench', 'mint-bench']) {
    it(`${source}: every labelled conversation judged`, () => {
      const file = corpusPath('corpus', `${source}.sharegpt.jsonl`);
      const r = evalSignal('task-outcome', file, 'success');
      expect(r.n + r.undecided).toBe(lineCount(file));
      expect(r.error).toBe(0);
    });
  }
});
