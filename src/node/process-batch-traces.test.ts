import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RecordSettings } from '../records/analyze-record.js';
import type { Batch } from './batch.js';
import { processBatch } from './process-batch.js';

const fixture = (name: string): string => readFileSync(new URL(`../../test/fixtures/traces/${name}`, import.meta.url), 'utf8');
const lines = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8').trimEnd().split('\n').map((line) => JSON.parse(line));

function documentBatch(text: string, settings: Partial<RecordSettings> = {}): Batch {
  return { source: 'trace.json', unit: 'document', first: 1, bytes: Buffer.from(text), settings: { analyzeOptions: {}, keepReports: false, ...settings }, stopAtRejection: false };
}

// What `signals analyze` does with one trace document: the CLI path of issue 15.
describe('processBatch on trace documents', () => {
  it('writes one line per session with meta, and per LLM call with --group span', () => {
    const session = lines(processBatch(documentBatch(fixture('vercel-ai.json'))).output);
    expect(session.map((line) => [line.id, line.meta.agent, line.meta.llm_calls, line.meta.tool_calls])).toEqual([['conv-weather-1', 'weather-service', 3, 1]]);
    const perSpan = lines(processBatch(documentBatch(fixture('vercel-ai.json'), { group: 'span', agent: 'weather-bot' })).output);
    expect(perSpan.map((line) => [line.id, line.meta.agent])).toEqual([
      ['00f067aa0ba902b2', 'weather-bot'],
      ['00f067aa0ba902b4', 'weather-bot'],
      ['00f067aa0ba902b6', 'weather-bot'],
    ]);
  });

  it('counts GenAI spans without readable messages for the summary', () => {
    const chat = (spanId: string, name: string) => ({ traceId: 't', spanId, name, attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }] });
    const result = processBatch(documentBatch(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [chat('1', 'chat a'), chat('2', 'chat b'), chat('3', 'chat a')] }] }] })));
    expect(result).toMatchObject({ scored: 0, rejected: 0, unreadableSpans: 3, unreadableSpanNames: ['chat a', 'chat b'] });
  });

  it('rejects an export without any GenAI span and a forced format that reads nothing', () => {
    const http = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 't', spanId: '1', name: 'GET /', attributes: [{ key: 'http.method', value: { stringValue: 'GET' } }] }] }] }] });
    expect(lines(processBatch(documentBatch(http)).output)).toEqual([{ id: null, error: 'document: no GenAI span with messages in this export (gen_ai.*, llm.*, ai.*, openinference.* or langfuse.* attributes)' }]);
    const forced = processBatch(documentBatch(fixture('openai-messages.json'), { format: 'sharegpt' }));
    expect(lines(forced.output)).toEqual([{ id: 'weather-1', error: 'document: no readable message as sharegpt (7 messages of another shape?)' }]);
    const alpaca = processBatch(documentBatch('{"instruction":"Translate","input":"bonjour","output":"hello"}'));
    expect(lines(alpaca.output)[0].error).toBe('document: an Alpaca-style {"instruction","input","output"} row is not a conversation; convert it to messages');
  });
});
