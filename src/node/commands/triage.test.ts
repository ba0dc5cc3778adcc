import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { libraryReportLines, sampleLines } from '../../../test/helpers/sample.js';
import { runTriage } from './triage.js';

const dir = mkdtempSync(join(tmpdir(), 'triage-'));
const COPIES = 16;

/** 16 rounds of sample lines (the conversations, or the library's reports of them), each with a fresh id: 400 lines. */
function copies(source: string[], name: string): string {
  const rows = source.map((line) => JSON.parse(line) as { id: string });
  const lines = Array.from({ length: COPIES }, (_, round) => rows.map((row) => JSON.stringify({ ...row, id: `${row.id}#${round}` }))).flat();
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const CORPUS = copies(sampleLines('sharegpt'), 'sample-x16.jsonl');
const REPORTS = copies(libraryReportLines(), 'sample-x16.reports.jsonl');
const N = 25 * COPIES;

interface Line {
  id: string;
  score: number;
  reasons: string[];
}

async function triage(args: string[]): Promise<Line[]> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}.jsonl`);
  expect(await runTriage([...args, '-o', out])).toBe(0);
  return readFileSync(out, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
}

// A deterministic shuffle of the corpus lines (reversed, then odd lines first).
function shuffledCopy(path: string): string {
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean).reverse();
  const copy = join(dir, 'shuffled.jsonl');
  writeFileSync(copy, [...lines.filter((_, i) => i % 2), ...lines.filter((_, i) => i % 2 === 0)].join('\n') + '\n');
  return copy;
}

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
    const lines = await triage([REPORTS, '--budget', '5', '--random-share', '0', '--profile', 'reference']);
    expect(lines).toHaveLength(5);
    expect(lines[0].reasons).toContain('quality=4');
  });
});

describe('signals triage --rate', () => {
  it('keeps about the asked share by id hash, and always the high scores when asked', async () => {
    const lines = await triage([CORPUS, '--rate', '50%', '--seed', '1']);
    expect(lines.every((l) => l.reasons[0] === 'rate')).toBe(true);
    expect(lines.length).toBeGreaterThan(N * 0.35);
    expect(lines.length).toBeLessThan(N * 0.65);
    // Three sample conversations score above 3 (a quit with shouting, a repeated question, the mixed bag): 16 copies each.
    const withHigh = await triage([CORPUS, '--rate', '0', '--keep-above', '3']);
    expect(withHigh).toHaveLength(3 * COPIES);
    expect(withHigh.every((l) => l.reasons[0] === 'high_score' && l.score >= 3)).toBe(true);
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
