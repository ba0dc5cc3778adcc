// A small hand-written OTLP/JSON export: one agent turn (root span + one GenAI semconv chat span).
const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** An OTLP/JSON export of one trace of agent `shop`, session `sess-1`, whose user asks for `userText`. */
export function otlpTurn(traceId: string, startMs: number, userText: string) {
  const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
  const input = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: userText }] }]);
  const output = JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'I can help with that.' }] }]);
  return {
    resourceSpans: [
      {
        resource: { attributes: [attr('service.name', 'shop')] },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: [
              {
                traceId,
                spanId: `${traceId.slice(0, 14)}01`,
                name: 'invoke_agent shop',
                kind: 1,
                startTimeUnixNano: ns(startMs),
                endTimeUnixNano: ns(startMs + 1000),
                attributes: [attr('gen_ai.operation.name', 'invoke_agent'), attr('gen_ai.conversation.id', 'sess-1')],
              },
              {
                traceId,
                spanId: `${traceId.slice(0, 14)}02`,
                parentSpanId: `${traceId.slice(0, 14)}01`,
                name: 'chat gpt-test',
                kind: 3,
                startTimeUnixNano: ns(startMs + 100),
                endTimeUnixNano: ns(startMs + 900),
                attributes: [
                  attr('gen_ai.operation.name', 'chat'),
                  attr('gen_ai.request.model', 'gpt-test'),
                  attr('gen_ai.conversation.id', 'sess-1'),
                  attr('gen_ai.input.messages', input),
                  attr('gen_ai.output.messages', output),
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}
