/**
 * The project's own conversations: corpus/sample.sharegpt.jsonl and its OpenAI twin in test/fixtures, both written
 * by scripts/write-sample.mjs, each line with `meta.expect` (the signal types written by hand for it, checked in
 * test/sample-expectations.test.ts). No report is stored: tests that check another path (CLI, HTTP, browser, OTel,
 * the OpenAI reader) compute the expected reports here with the library, `analyze` + `serializeReportLine` on the
 * ShareGPT rows, and compare the other path to them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyze, serializeReportLine } from '../../src/core/index.js';
import type { Message, SignalReport } from '../../src/core/types.js';

/** Absolute paths of the sample files. */
export const SAMPLE = {
  sharegpt: fileURLToPath(new URL('../../corpus/sample.sharegpt.jsonl', import.meta.url)),
  openai: fileURLToPath(new URL('../fixtures/sample.openai.jsonl', import.meta.url)),
} as const;

/** The non-empty lines of a sample file. */
export function sampleLines(file: keyof typeof SAMPLE): string[] {
  return readFileSync(SAMPLE[file], 'utf8').split('\n').filter((line) => line.trim() !== '');
}

/** The parsed lines of a sample file. */
export function sampleJsonl<T>(file: keyof typeof SAMPLE): T[] {
  return sampleLines(file).map((line) => JSON.parse(line) as T);
}

/** One line of corpus/sample.sharegpt.jsonl. */
export interface SampleConversation {
  id: string;
  messages: Message[];
  meta: { source: string; success: boolean; scenario: string; expect: string[] };
}

/** The ShareGPT sample conversations, in file order. */
export function sampleConversations(): SampleConversation[] {
  return sampleJsonl<SampleConversation>('sharegpt');
}

/**
 * The library's report line `{"id","report"}` for each sample conversation, in file order. `openai` gives what the
 * OpenAI twin must read as: the same rows without the system prompt, which Chat Completions readers keep out of
 * the rows (src/formats/openai.ts), so message indices are one lower.
 */
export function libraryReportLines(form: keyof typeof SAMPLE = 'sharegpt'): string[] {
  return sampleConversations().map(({ id, messages }) =>
    serializeReportLine(id, analyze(form === 'openai' ? messages.filter((m) => m.from !== 'system') : messages)),
  );
}

/** The report as its serialized JSON reads (no `quality_score` or `turn_metrics`). */
export type SerializedReport = Omit<SignalReport, 'quality_score' | 'turn_metrics'>;

/** {@link libraryReportLines}, parsed. */
export function libraryReports(form: keyof typeof SAMPLE = 'sharegpt'): { id: string; report: SerializedReport }[] {
  return libraryReportLines(form).map((line) => JSON.parse(line) as { id: string; report: SerializedReport });
}
