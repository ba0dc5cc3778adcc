import { readFileSync } from 'node:fs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryTracer } from '../../test/helpers/memory-tracer.js';
import { SignalsSpanProcessor, type SignalsSpanProcessorOptions } from './processor.js';
import { spanConversation } from './span-messages.js';

type OpenAIMessage = {
  role: string;
  content: string | null;
  tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
};

/** The bundled OpenAI sample (written for this project). */
const SAMPLE = readFileSync(new URL('../../test/fixtures/sample.openai.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { id: string; messages: OpenAIMessage[] });

/** An OpenAI chat message as the GenAI conventions record it. */
function toGenAI(message: OpenAIMessage) {
  if (message.role === 'tool') return { role: 'tool', parts: [{ type: 'tool_call_response', id: message.tool_call_id, response: message.content }] };
  const calls = (message.tool_calls ?? []).map((c) => ({ type: 'tool_call', id: c.id, name: c.function.name, arguments: c.function.arguments }));
  return { role: message.role, parts: [...(message.content ? [{ type: 'text', content: message.content }] : []), ...calls] };
}

/** The LLM calls of a conversation: one per assistant message, its history as input and the message as output. */
function llmCalls(messages: OpenAIMessage[]): Array<{ input: OpenAIMessage[]; output: OpenAIMessage[] }> {
  return messages.flatMap((m, k) => (m.role === 'assistant' ? [{ input: messages.slice(0, k), output: [m] }] : []));
}

let pipelines: Array<ReturnType<typeof memoryTracer>> = [];
afterEach(async () => {
  await Promise.all(pipelines.map((p) => p.shutdown()));
  pipelines = [];
});

function pipeline(options?: SignalsSpanProcessorOptions) {
  let processor: SignalsSpanProcessor | undefined;
  const sdk = memoryTracer((exporting) => (processor = new SignalsSpanProcessor(exporting, options)));
  pipelines.push(sdk);
  return { sdk, processor: processor as unknown as SignalsSpanProcessor };
}

/** Ends one span per LLM call of every sample conversation, interleaving the conversations call by call. */
async function replay(options?: SignalsSpanProcessorOptions): Promise<{ spans: ReadableSpan[]; processor: SignalsSpanProcessor }> {
  const { sdk, processor } = pipeline({ evaluationEvents: true, ...options });
  const calls = SAMPLE.map((c) => ({ id: c.id, calls: llmCalls(c.messages) }));
  const longest = Math.max(...calls.map((c) => c.calls.length));
  for (let k = 0; k < longest; k++) {
    for (const c of calls) {
      const call = c.calls[k];
      if (!call) continue;
      sdk.tracer
        .startSpan('chat', {
          attributes: {
            'gen_ai.conversation.id': c.id,
            'gen_ai.input.messages': JSON.stringify(call.input.map(toGenAI)),
            'gen_ai.output.messages': JSON.stringify(call.output.map(toGenAI)),
          },
        })
        .end();
    }
  }
  return { spans: await sdk.finishedSpans(), processor };
}

const annotations = (span: ReadableSpan) => ({ attributes: span.attributes, events: span.events.map((e) => [e.name, e.attributes]) });

describe('SignalsSpanProcessor: one incremental analyzer per conversation', () => {
  it('annotates every span exactly as a full analysis of its conversation does, appending each row once', async () => {
    const full = await replay({ conversationId: () => undefined });
    const incremental = await replay();
    expect(incremental.spans.length).toBeGreaterThan(SAMPLE.length);
    expect(incremental.spans.map(annotations)).toEqual(full.spans.map(annotations));
    // Each call repeats the conversation so far; only the rows it adds were analyzed: each conversation's rows once.
    const rowsOfLastCalls = SAMPLE.map((c) => llmCalls(c.messages).at(-1))
      .filter((call) => call !== undefined)
      .map((call) => spanConversation({ 'gen_ai.input.messages': JSON.stringify(call.input.map(toGenAI)), 'gen_ai.output.messages': JSON.stringify(call.output.map(toGenAI)) })?.length ?? 0);
    const analyzers = incremental.processor.analyzers;
    expect(analyzers.stats).toEqual({ appended: rowsOfLastCalls.reduce((a, b) => a + b, 0), restarts: 0, evicted: 0 });
    expect(analyzers.size).toBe(rowsOfLastCalls.length);
    expect(full.processor.analyzers.stats.appended).toBe(0);
  });

  it('appends only the new rows of each call', async () => {
    const { sdk, processor } = pipeline();
    const history: OpenAIMessage[] = [{ role: 'user', content: 'Where is my order?' }];
    const span = (input: OpenAIMessage[], output: OpenAIMessage[]) =>
      sdk.tracer
        .startSpan('chat', { attributes: { 'session.id': 's1', 'gen_ai.input.messages': JSON.stringify(input.map(toGenAI)), 'gen_ai.output.messages': JSON.stringify(output.map(toGenAI)) } })
        .end();
    span(history, [{ role: 'assistant', content: 'Which order number?' }]);
    span([...history, { role: 'assistant', content: 'Which order number?' }, { role: 'user', content: 'RB-1' }], [{ role: 'assistant', content: 'It ships today.' }]);
    await sdk.finishedSpans();
    expect(processor.analyzers.stats).toEqual({ appended: 2 + 2, restarts: 0, evicted: 0 });
  });

  it('bounds the analyzers by count and idle time, as configured', async () => {
    let clock = 0;
    const { sdk, processor } = pipeline({ conversations: { maxConversations: 2, idleMs: 1000, now: () => clock } });
    const span = (id: string) =>
      sdk.tracer.startSpan('chat', { attributes: { 'gen_ai.conversation.id': id, 'gen_ai.input.messages': JSON.stringify([toGenAI({ role: 'user', content: 'hi' })]) } }).end();
    span('a');
    span('b');
    span('c'); // over the bound: a goes
    expect(processor.analyzers.size).toBe(2);
    clock = 5000; // b and c idle
    span('d');
    await sdk.finishedSpans();
    expect(processor.analyzers.size).toBe(1);
    expect(processor.analyzers.stats.evicted).toBe(3);
  });

  it('takes the conversation id from the option when given', async () => {
    const { sdk, processor } = pipeline({ conversationId: (span) => String(span.attributes['app.thread']) });
    sdk.tracer.startSpan('chat', { attributes: { 'app.thread': 't1', 'gen_ai.input.messages': JSON.stringify([toGenAI({ role: 'user', content: 'hi' })]) } }).end();
    await sdk.finishedSpans();
    expect(processor.analyzers.size).toBe(1);
  });
});
