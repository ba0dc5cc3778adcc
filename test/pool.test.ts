import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll } from 'vitest';
import { poolCases } from './helpers/pool-cases.js';
import { sampleLines } from './helpers/sample.js';

/** `copies` rounds of the sample (ShareGPT or OpenAI), each conversation with a fresh id. */
function copiesOf(file: 'sharegpt' | 'openai', copies: number): string[] {
  const lines = sampleLines(file).map((line) => JSON.parse(line) as { id: string });
  return Array.from({ length: copies }, (_, round) => lines.map((row) => JSON.stringify({ ...row, id: `${row.id}#${round}` }))).flat();
}

const files: string[] = [];

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'pool-'));
  // ~0.5 MB, 1 MB and 0.2 MB: several 256 KB batches over several files of both formats.
  for (const [name, file, copies] of [['a.jsonl', 'openai', 16], ['b.jsonl', 'sharegpt', 30], ['c.jsonl', 'sharegpt', 6]] as const) {
    files.push(join(dir, name));
    writeFileSync(files.at(-1)!, `${copiesOf(file, copies).join('\n')}\n`);
  }
});

poolCases({ files: () => files, conversations: 25 * (16 + 30 + 6), lines: () => copiesOf('sharegpt', 8) });
