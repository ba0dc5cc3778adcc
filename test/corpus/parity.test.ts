import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, serializeReportLine } from '../../src/core/index.js';
import { corpusDir } from '../helpers/corpus.js';

// Agreement with the reference reports in the corpus directory's parity/, measured by the reference project's own
// comparison script. Inputs are the ShareGPT files: the corpus ones and the synthetic adversarial set.
const shared = corpusDir();
const parity = join(shared, 'parity');
const names = ['tau-bench', 'tau2-bench', 'mint-bench', 'sgd', 'synthetic'];

function inputOf(name: string): string {
  const candidates = [join(shared, 'corpus', `${name}.sharegpt.jsonl`), join(parity, `${name}.sharegpt.jsonl`)];
  const found = candidates.find(existsSync);
  if (!found) throw new Error(`no input for ${name} in ${candidates.join(' or ')}`);
  return found;
}

describe('parity with the reference reports (ShareGPT path)', () => {
  const out = mkdtempSync(join(tmpdir(), 'parity-'));
  it.each(names)('%s', (name) => {
    const lines = readFileSync(inputOf(name), 'utf8').split('\n').filter((l) => l.trim() !== '');
    const reports = lines.map((line) => {
      const row = JSON.parse(line);
      return serializeReportLine(row.id, analyze(row.messages));
    });
    const actual = join(out, `${name}.jsonl`);
    writeFileSync(actual, `${reports.join('\n')}\n`);
    const expected = join(parity, `${name}.reports.jsonl`);
    const result = JSON.parse(execFileSync(process.execPath, [join(parity, 'compare.mjs'), expected, actual, '--json', '--show', '3'], { encoding: 'utf8' }));
    console.log(
      `parity ${name}: ${result.conversations} conversations, tier A ${result.tierA_agreement_pct}%, tier B ${result.tierB_agreement_pct}%, byte-identical ${result.full_agreement_pct}%, quality ${result.quality_agreement_pct}%`,
    );
    expect(result.missing).toBe(0);
    expect(result.conversations).toBe(lines.length);
    expect(result.tierA_agreement_pct, JSON.stringify(result.examples)).toBe(100);
    expect(result.tierB_agreement_pct).toBeGreaterThanOrEqual(99);
    // Every line is byte-identical today; keep it that way.
    expect(result.full_agreement_pct, JSON.stringify(result.examples)).toBe(100);
    const expectedLines = readFileSync(expected, 'utf8').split('\n').filter((l) => l.trim() !== '');
    expect(reports.filter((r, i) => r === expectedLines[i]).length).toBe(expectedLines.length);
  });
});
