import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { libraryReportLines, sampleLines } from '../../../test/helpers/sample.js';
import { triageCases } from '../../../test/helpers/triage-cases.js';

const dir = mkdtempSync(join(tmpdir(), 'triage-sample-'));
const COPIES = 16;

/** 16 rounds of sample lines (the conversations, or the library's reports of them), each with a fresh id: 400 lines. */
function copies(source: string[], name: string): string {
  const rows = source.map((line) => JSON.parse(line) as { id: string });
  const lines = Array.from({ length: COPIES }, (_, round) => rows.map((row) => JSON.stringify({ ...row, id: `${row.id}#${round}` }))).flat();
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

triageCases({
  conversations: copies(sampleLines('sharegpt'), 'sample-x16.jsonl'),
  reports: copies(libraryReportLines(), 'sample-x16.reports.jsonl'),
  count: 25 * COPIES,
  // Three sample conversations score above 3 (a quit with shouting, a repeated question, the mixed bag): 16 copies each.
  keepAbove: { score: 3, expected: 3 * COPIES },
});
