/** The `signals analyze` cases on a file that mixes good and broken records (the built CLI in a child process), run on
 * the sample and the corpus. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signals } from './built-cli.js';



const BROKEN = [
  '{"id": "cut", "messages": [',
  '{"id": "bad-row", "messages": [{"from": "human", "value": 3}]}',
  '{"id": "odd", "turns": []}',
  '[1, 2]',
];

/**
 * Declares the bad-record and output cases: `goodLines` are six conversations whose reports must be `reportLines`,
 * `whole` a file of `wholeCount` conversations.
 */
export function badRecordsCases(opts: { goodLines: string[]; reportLines: string[]; whole: string; wholeCount: number }): string {
  const { goodLines, reportLines } = opts;
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));
  const mixed = join(dir, 'mixed.jsonl');
  // good, broken, good, blank, broken… : lines 1,2,3,5,6,8,9,11,12
  const lines = [goodLines[0], BROKEN[0], goodLines[1], '', BROKEN[1], goodLines[2], '   ', goodLines[3], BROKEN[2], '', goodLines[4], BROKEN[3], goodLines[5]];
  writeFileSync(mixed, `${lines.join('\n')}\n`);

  describe('signals analyze (bad records)', () => {
    it('reports, counts and skips broken lines, scores every good one, in order', () => {
      const summaryPath = join(dir, 'summary.json');
      const run = signals(['analyze', mixed, '--threads', '2', '--summary-json', summaryPath]);
      expect(run.code).toBe(0);
      const out = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
      const goodIds = goodLines.map((line) => JSON.parse(line).id);
      expect(out.map((row) => row.id)).toEqual([goodIds[0], null, goodIds[1], 'bad-row', goodIds[2], goodIds[3], 'odd', goodIds[4], null, goodIds[5]]);
      expect(run.stdout.split('\n').filter((line) => line.includes('"report":'))).toEqual(reportLines);
      expect(out.filter((row) => row.error).map((row) => row.error)).toEqual([
        expect.stringMatching(/^line 2: invalid JSON \(/),
        'line 5: messages[0]: "value" must be a string, got number',
        expect.stringMatching(/^line 9: unrecognized record/),
        expect.stringMatching(/^line 12: unrecognized record/),
      ]);
      const errors = run.stderr.split('\n').filter((line) => line.startsWith(`${mixed}:`));
      expect(errors.map((line) => line.slice(mixed.length + 1).split(':')[0])).toEqual(['2', '5', '9', '12']);
      expect(run.stderr).toMatch(/conversations read\s+10\n\s+scored\s+6\n\s+rejected\s+4\n/);
      const summary = JSON.parse(readFileSync(summaryPath, 'utf8'));
      expect(summary.conversations).toEqual({ read: 10, scored: 6, rejected: 4 });
      expect(Object.values(summary.quality as Record<string, number>).reduce((a, b) => a + b)).toBe(6);
      expect(summary.peak_rss_mb).toBeGreaterThan(0);
    });

    it('stops at the first bad record with --strict and exits 1', () => {
      const run = signals(['analyze', mixed, '--strict', '--threads', '2']);
      expect(run.code).toBe(1);
      const out = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
      expect(out).toHaveLength(2);
      expect(out[1]).toEqual({ id: null, error: expect.stringMatching(/^line 2: invalid JSON/) });
      expect(run.stderr).toContain(`${mixed}:2: invalid JSON`);
      expect(run.stderr).toContain('stopped at the first rejected record (--strict)');
    });
  });

  describe('signals analyze (output)', () => {
    it('writes -o into new parent directories; --quiet leaves stderr empty', () => {
      const out = join(dir, 'new', 'deeper', 'reports.jsonl');
      const run = signals(['analyze', opts.whole, '-o', out, '--quiet']);
      expect(run).toEqual({ code: 0, signal: null, stdout: '', stderr: '' });
      expect(existsSync(out)).toBe(true);
      expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(opts.wholeCount);
    });
  });
  return dir;
}
