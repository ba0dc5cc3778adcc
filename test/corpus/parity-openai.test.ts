import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir } from '../helpers/corpus.js';
import { BUILT_CLI as CLI } from '../helpers/built-cli.js';

const SHARED = corpusDir();

interface Comparison {
  conversations: number;
  missing: number;
  tierA_agreement_pct: number;
  tierB_agreement_pct: number;
}

/** Runs the reference comparison script; it exits 1 on any Tier-A difference, which the assertions below report better. */
function compare(expected: string, actual: string): Comparison {
  const args = [join(SHARED, 'parity/compare.mjs'), expected, actual, '--json'];
  try {
    return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' }));
  } catch (error) {
    return JSON.parse((error as { stdout: string }).stdout);
  }
}

describe('parity of the OpenAI path (signals analyze vs the reference conversion)', () => {
  const out = mkdtempSync(join(tmpdir(), 'parity-openai-'));

  it.each([
    ['tau-bench', 164],
    ['tau2-bench', 148],
  ])('%s.openai.jsonl', (name, conversations) => {
    const actual = join(out, `${name}.jsonl`);
    execFileSync(process.execPath, [CLI, 'analyze', join(SHARED, `corpus/${name}.openai.jsonl`), '-o', actual, '-q']);
    const result = compare(join(SHARED, `parity/${name}.openai.reports.jsonl`), actual);
    expect(result.conversations).toBe(conversations);
    expect(result.missing).toBe(0);
    expect(result.tierA_agreement_pct).toBe(100);
    expect(result.tierB_agreement_pct).toBeGreaterThanOrEqual(99);
  });
});
