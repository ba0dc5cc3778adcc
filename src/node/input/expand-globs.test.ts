import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../usage-error.js';
import { expandGlobs } from './expand-globs.js';

let root = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'globs-'));
  for (const path of ['a.jsonl', 'b.jsonl', 'c.json', 'sub/d.jsonl', 'sub/deep/e.jsonl', '.hidden/f.jsonl', 'x+y.jsonl']) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), '');
  }
});

describe('expandGlobs', () => {
  it('expands * and ? in the last segment, sorted', () => {
    expect(expandGlobs([`${root}/*.jsonl`])).toEqual([`${root}/a.jsonl`, `${root}/b.jsonl`, `${root}/x+y.jsonl`]);
    expect(expandGlobs([`${root}/?.json`])).toEqual([`${root}/c.json`]);
  });

  it('expands ** across directories but not into hidden ones', () => {
    expect(expandGlobs([`${root}/**/*.jsonl`])).toEqual([
      `${root}/a.jsonl`,
      `${root}/b.jsonl`,
      `${root}/sub/d.jsonl`,
      `${root}/sub/deep/e.jsonl`,
      `${root}/x+y.jsonl`,
    ]);
    expect(expandGlobs([`${root}/**/e.jsonl`])).toEqual([`${root}/sub/deep/e.jsonl`]);
  });

  it('keeps the literal directories before the first glob segment, .. included', () => {
    const relative = `${root}/sub/../*.json`;
    expect(expandGlobs([relative])).toEqual([`${root}/c.json`]);
  });

  it('keeps plain paths and - as given', () => {
    expect(expandGlobs(['-', 'missing.jsonl'])).toEqual(['-', 'missing.jsonl']);
  });

  it('rejects a pattern without matches', () => {
    expect(() => expandGlobs([`${root}/*.csv`])).toThrow(UsageError);
    expect(() => expandGlobs([`${root}/*.csv`])).toThrow('*.csv: no files match');
  });
});
