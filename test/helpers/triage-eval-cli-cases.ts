/** The `signals triage` and `signals eval` CLI cases (the built CLI in a child process), run on the sample and the corpus. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signals } from './built-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'triage-cli-'));


/** Declares the CLI cases over the conversations at `input`; `evalRow` is the table row `signals eval` must print for it. */
export function triageEvalCliCases(input: string, evalRow: string): void {
  describe('signals triage (CLI)', () => {
    it('reads stdin and writes the budgeted selection as {"id","score","reasons"} lines', () => {
      const { code, stdout } = signals(['triage', '--budget', '10', '--quota', 'escalation=2'], readFileSync(input, 'utf8'));
      expect(code).toBe(0);
      const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).toHaveLength(10);
      expect(Object.keys(lines[0])).toEqual(['id', 'score', 'reasons']);
      expect(lines.filter((l) => l.reasons[0] === 'quota:escalation')).toHaveLength(2);
      expect(lines.filter((l) => l.reasons[0] === 'random')).toHaveLength(1);
    });

    it('exits 2 with a usage line on a bad option', () => {
      const { code, stderr } = signals(['triage', input, '--rate', 'lots']);
      expect(code).toBe(2);
      expect(stderr).toMatch(/^signals triage: --rate must be/);
    });
  });

  describe('signals eval (CLI)', () => {
    it('prints the table and writes the JSON figures and the chart', () => {
      const json = join(dir, 'eval.json');
      const chart = join(dir, 'eval.svg');
      const { code, stdout } = signals(['eval', input, '--label', 'success', '--json', json, '--chart', chart]);
      expect(code).toBe(0);
      expect(stdout).toContain(evalRow);
      const figures = JSON.parse(readFileSync(json, 'utf8'));
      for (const key of ['n', 'failures', 'auroc', 'precision_at_10', 'base_rate', 'lift', 'by_source']) expect(figures).toHaveProperty(key);
      expect(readFileSync(chart, 'utf8')).toMatch(/^<svg /);
    });
  });
}
