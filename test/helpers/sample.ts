/**
 * The project's own conversations (corpus/sample.sharegpt.jsonl and its OpenAI twin in test/fixtures, both written
 * by scripts/write-sample.mjs) and their frozen reports (test/fixtures/sample*.reports.jsonl, checked against the CLI
 * in test/cli.test.ts): what `npm test` uses where a corpus file used to be read.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute paths of the sample files. */
export const SAMPLE = {
  sharegpt: fileURLToPath(new URL('../../corpus/sample.sharegpt.jsonl', import.meta.url)),
  openai: fileURLToPath(new URL('../fixtures/sample.openai.jsonl', import.meta.url)),
  reports: fileURLToPath(new URL('../fixtures/sample.reports.jsonl', import.meta.url)),
  openaiReports: fileURLToPath(new URL('../fixtures/sample.openai.reports.jsonl', import.meta.url)),
} as const;

/** The non-empty lines of a sample file. */
export function sampleLines(file: keyof typeof SAMPLE): string[] {
  return readFileSync(SAMPLE[file], 'utf8').split('\n').filter((line) => line.trim() !== '');
}

/** The parsed lines of a sample file. */
export function sampleJsonl<T>(file: keyof typeof SAMPLE): T[] {
  return sampleLines(file).map((line) => JSON.parse(line) as T);
}
