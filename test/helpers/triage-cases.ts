/**
 * The `signals triage` cases, run on two inputs: the bundled sample copied 16 times (`npm test`) and the tau2-bench
 * corpus (`npm run test:corpus`). Only the input and what its high scores are differ.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runTriage } from '../../src/node/commands/triage.js';

/** The input of one run of the cases. */
export interface TriageInput {
  /** Conversations (JSONL). */
  conversations: string;
  /** `{"id","report"}` lines of the same conversations, as `signals analyze` writes them. */
  reports: string;
  /** How many conversations `conversations` holds. */
  count: number;
  /** A `--keep-above` threshold and how many lines score above it (undefined: some, not counted). */
  keepAbove: { score: number; expected?: number };
}

interface Line {
  id: string;
  score: number;
  reasons: string[];
}

const dir = mkdtempSync(join(tmpdir(), 'triage-'));

async function triage(args: string[]): Promise<Line[]> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}.jsonl`);
  expect(await runTriage([...args, '-o', out])).toBe(0);
  return readFileSync(out, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
}

// A deterministic shuffle of the input lines (reversed, then odd lines first).
function shuffledCopy(path: string): string {
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean).reverse();
  const copy = join(dir, `shuffled-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(copy, [...lines.filter((_, i) => i % 2), ...lines.filter((_, i) => i % 2 === 0)].join('\n') + '\n');
  return copy;
}

/** Declares the triage suites over `input`. */
export function triageCases(input: TriageInput): void {
  const CORPUS = input.conversations;

  describe('signals triage --budget', () => {
    it('selects the same conversations, in the same order, whatever the input order', async () => {
      const args = ['--budget', '20', '--seed', '5', '--quota', 'loops=3'];
      const a = await triage([CORPUS, ...args]);
      const b = await triage([shuffledCopy(CORPUS), ...args]);
      expect(a).toHaveLength(20);
      expect(b).toEqual(a);
      expect(a.filter((l) => l.reasons[0] === 'random')).toHaveLength(2);
      // Score picks come best first and say which signals drove them.
      const scored = a.filter((l) => l.reasons[0] === 'score');
      expect(scored.map((l) => l.score)).toEqual([...scored.map((l) => l.score)].sort((x, y) => y - x));
      expect(scored[0].reasons.length).toBeGreaterThan(1);
    });

    it('honours a quota for a category the score ignores', async () => {
      const lines = await triage([CORPUS, '--budget', '15', '--quota', 'escalation=10', '--random-share', '0']);
      expect(lines.filter((l) => l.reasons[0] === 'quota:escalation')).toHaveLength(10);
      expect(lines.filter((l) => l.reasons[0] === 'score')).toHaveLength(5);
    });

    it('reads {"id","report"} lines as written by signals analyze', async () => {
      const lines = await triage([input.reports, '--budget', '5', '--random-share', '0', '--profile', 'reference']);
      expect(lines).toHaveLength(5);
      expect(lines[0].reasons).toContain('quality=4');
    });
  });

  describe('signals triage --rate', () => {
    it('keeps about the asked share by id hash, and always the high scores when asked', async () => {
      const lines = await triage([CORPUS, '--rate', '50%', '--seed', '1']);
      expect(lines.every((l) => l.reasons[0] === 'rate')).toBe(true);
      expect(lines.length).toBeGreaterThan(input.count * 0.35);
      expect(lines.length).toBeLessThan(input.count * 0.65);
      const { score, expected } = input.keepAbove;
      const withHigh = await triage([CORPUS, '--rate', '0', '--keep-above', String(score)]);
      if (expected === undefined) expect(withHigh.length).toBeGreaterThan(0);
      else expect(withHigh).toHaveLength(expected);
      expect(withHigh.every((l) => l.reasons[0] === 'high_score' && l.score >= score)).toBe(true);
    });
  });

  describe('signals triage usage', () => {
    it('rejects bad options with exit code 2', async () => {
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      expect(await runTriage([CORPUS])).toBe(2);
      expect(await runTriage([CORPUS, '--budget', '5', '--rate', '0.1'])).toBe(2);
      expect(await runTriage([CORPUS, '--budget', '5', '--quota', 'nonsense=1'])).toBe(2);
      expect(await runTriage([CORPUS, '--rate', '150%'])).toBe(2);
      expect(await runTriage([CORPUS, '--rate', '10%', '--quota', 'loops=1'])).toBe(2);
      expect(await runTriage([CORPUS, '--budget', '5', '--keep-above', '3'])).toBe(2);
      expect(await runTriage([CORPUS, '--budget', '5', '--profile', 'nope'])).toBe(2);
      stderr.mockRestore();
    });
  });
}
