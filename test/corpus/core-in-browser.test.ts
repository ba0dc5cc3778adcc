/**
 * The core runs unchanged in a browser: the built ES modules of `dist/core` are loaded by Debian's Chromium from
 * a loopback static server and analyze corpus conversations into reports byte-identical to the reference.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreReportsInChromium } from '../helpers/core-in-chromium.js';
import { corpusDir } from '../helpers/corpus.js';

const SHARED = corpusDir();

function lines(path: string, count: number): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').slice(0, count);
}

describe('the core in Chromium (corpus)', () => {
  it('gives the reference reports for corpus and adversarial conversations', async () => {
    const cases = [
      ['corpus/tau-bench.sharegpt.jsonl', 'parity/tau-bench.reports.jsonl', 40],
      ['parity/synthetic.sharegpt.jsonl', 'parity/synthetic.reports.jsonl', 150],
    ] as const;
    const inputs = cases.flatMap(([input, , n]) => lines(join(SHARED, input), n));
    const expected = cases.flatMap(([, reports, n]) => lines(join(SHARED, reports), n));
    const actual = await coreReportsInChromium(inputs);
    expect(actual.userAgent).toContain('Chrome');
    expect(actual.lines).toHaveLength(expected.length);
    expect(actual.lines).toEqual(expected);
  });
});
