/**
 * Inline fixtures from the spec's worked examples (/work/shared/spec/signals-spec.md), usable in workerd where
 * the shared files cannot be read. Expected values are copied from the spec, never produced by our analyzer.
 */

/** §13.5 input line (ShareGPT), as JSON text. */
export const SPEC_13_5_INPUT_LINE = "{\"id\":\"demo-1\",\"messages\":[{\"from\":\"human\",\"value\":\"Book me a table for two at Luigi's tonight at 8\"},{\"from\":\"gpt\",\"value\":\"Let me check availability.\"},{\"from\":\"function_call\",\"value\":\"{\\\"name\\\":\\\"search_restaurants\\\",\\\"arguments\\\":{\\\"name\\\":\\\"Luigi's\\\",\\\"time\\\":\\\"20:00\\\"}}\"},{\"from\":\"observation\",\"value\":\"Error 503 Service Unavailable: upstream reservation backend is down, try again later\"},{\"from\":\"gpt\",\"value\":\"Sorry, the reservation system is unavailable right now.\"},{\"from\":\"human\",\"value\":\"No, I meant Luigi's on 5th street, not the other one\"},{\"from\":\"gpt\",\"value\":\"Understood. Unfortunately the reservation service is still unavailable.\"},{\"from\":\"human\",\"value\":\"This is useless. Get me a human!!\"}]}";

/** §13.5 expected output line, compact and byte-exact (the spec pretty-prints it). */
export const SPEC_13_5_REPORT_LINE = "{\"id\":\"demo-1\",\"report\":{\"interaction_signals\":{\"misalignment\":{\"category\":\"misalignment\",\"count\":1,\"severity\":1,\"signals\":[{\"signal_type\":\"interaction.misalignment.correction\",\"message_index\":5,\"snippet\":\"no, i meant\",\"confidence\":1.0,\"metadata\":{\"pattern_type\":\"correction\"}}]},\"stagnation\":{\"category\":\"stagnation\",\"count\":0,\"severity\":0,\"signals\":[]},\"disengagement\":{\"category\":\"disengagement\",\"count\":2,\"severity\":1,\"signals\":[{\"signal_type\":\"interaction.disengagement.negative_stance\",\"message_index\":7,\"snippet\":\"This is useless. Get me a human!!\",\"confidence\":1.0,\"metadata\":{\"indicator_type\":\"excessive_punctuation\",\"consecutive_questions\":0,\"consecutive_exclamations\":1,\"mixed_punctuation\":0}},{\"signal_type\":\"interaction.disengagement.escalation\",\"message_index\":7,\"snippet\":\"get me a human\",\"confidence\":1.0,\"metadata\":{\"pattern_type\":\"escalation\"}}]},\"satisfaction\":{\"category\":\"satisfaction\",\"count\":0,\"severity\":0,\"signals\":[]}},\"execution_signals\":{\"failure\":{\"category\":\"failure\",\"count\":0,\"severity\":0,\"signals\":[]},\"loops\":{\"category\":\"loops\",\"count\":0,\"severity\":0,\"signals\":[]}},\"environment_signals\":{\"exhaustion\":{\"category\":\"exhaustion\",\"count\":1,\"severity\":1,\"signals\":[{\"signal_type\":\"environment.exhaustion.api_error\",\"message_index\":3,\"snippet\":\"Error 503 Service Unavailable: upstream reservation backend is down, try again ...\",\"confidence\":0.8999999761581421,\"metadata\":{\"exhaustion_type\":\"api_error\",\"matched\":\"503 service unavailable\"}}]}},\"overall_quality\":\"severe\",\"summary\":\"Overall Quality: severe | Turns: 3 (efficiency: 100.0%) | Interaction — misalignment: 1 (sev 1), stagnation: 0, disengagement: 2 (sev 1), satisfaction: 0 | Execution — failure: 0, loops: 0 | Environment — exhaustion: 1 (sev 1) | High misalignment rate: 33.3% of user turns | Escalation requested: 1\"}}";

/** E19 OpenAI chat messages. */
export const E19_OPENAI_MESSAGES = [
  { role: 'system', content: 'You are helpful.' },
  { role: 'user', content: 'Weather in Paris?' },
  {
    role: 'assistant',
    content: null,
    tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
  },
  { role: 'tool', tool_call_id: 'c1', content: '503 Service Unavailable' },
  {
    role: 'assistant',
    content: [
      { type: 'text', text: 'The weather service is down.' },
      { type: 'text', text: 'Try later?' },
    ],
  },
  { role: 'user', content: 'ok thanks' },
];

/** E19 ShareGPT rows the OpenAI messages map to (§2.5). */
export const E19_ROWS = [
  { from: 'human', value: 'Weather in Paris?' },
  { from: 'function_call', value: '{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}' },
  { from: 'observation', value: '503 Service Unavailable' },
  { from: 'gpt', value: 'The weather service is down.\nTry later?' },
  { from: 'human', value: 'ok thanks' },
];

/** E19 OpenTelemetry expectations (§16 E19, §14.2): attributes in emission order as OTLP/JSON values. */
export const E19_SPAN_ATTRIBUTES = [
  { key: 'signals.quality', value: { stringValue: 'neutral' } },
  { key: 'signals.quality_score', value: { doubleValue: 47 } },
  { key: 'signals.turn_count', value: { intValue: '2' } },
  { key: 'signals.efficiency_score', value: { doubleValue: 1 } },
  { key: 'signals.environment.exhaustion.count', value: { intValue: '1' } },
  { key: 'signals.environment.exhaustion.severity', value: { intValue: '1' } },
];

/** E19 as OpenTelemetry GenAI messages (`gen_ai.input.messages`), the same turns as E19_OPENAI_MESSAGES. */
export const E19_GENAI_MESSAGES = [
  { role: 'system', parts: [{ type: 'text', content: 'You are helpful.' }] },
  { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
  { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
  { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: '503 Service Unavailable' }] },
  {
    role: 'assistant',
    parts: [
      { type: 'text', content: 'The weather service is down.' },
      { type: 'text', content: 'Try later?' },
    ],
  },
  { role: 'user', parts: [{ type: 'text', content: 'ok thanks' }] },
];

/** §13.5 as OpenTelemetry GenAI messages: the same rows, in the same order, as SPEC_13_5_INPUT_LINE. */
export const SPEC_13_5_GENAI_MESSAGES = [
  { role: 'user', parts: [{ type: 'text', content: "Book me a table for two at Luigi's tonight at 8" }] },
  {
    role: 'assistant',
    parts: [
      { type: 'text', content: 'Let me check availability.' },
      { type: 'tool_call', id: 't1', name: 'search_restaurants', arguments: { name: "Luigi's", time: '20:00' } },
    ],
  },
  {
    role: 'tool',
    parts: [
      {
        type: 'tool_call_response',
        id: 't1',
        response: 'Error 503 Service Unavailable: upstream reservation backend is down, try again later',
      },
    ],
  },
  { role: 'assistant', parts: [{ type: 'text', content: 'Sorry, the reservation system is unavailable right now.' }] },
  { role: 'user', parts: [{ type: 'text', content: "No, I meant Luigi's on 5th street, not the other one" }] },
  { role: 'assistant', parts: [{ type: 'text', content: 'Understood. Unfortunately the reservation service is still unavailable.' }] },
  { role: 'user', parts: [{ type: 'text', content: 'This is useless. Get me a human!!' }] },
];

/** Trace id of the conversation's trace in {@link otlpExport}. */
export const TRACE_ID = '5b8efff798038103d269b633813fc60c';
/** Trace id of the unrelated trace (no GenAI attributes) in {@link otlpExport}. */
export const OTHER_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

/**
 * An OTLP/JSON export as a stock SDK sends it: a root HTTP span, an LLM span carrying `messages` as
 * `gen_ai.input.messages`, a tool span, and a second resource with an unrelated trace. Every span has
 * attributes (the LLM span also an event) so a round trip can check nothing is lost.
 */
export function otlpExport(messages: unknown[]): Record<string, unknown> {
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  return {
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'demo-agent')] },
        scopeSpans: [
          {
            scope: { name: 'demo-agent', version: '1.0.0' },
            spans: [
              {
                traceId: TRACE_ID,
                spanId: '051581bf3cb55c13',
                parentSpanId: '',
                name: 'POST /chat',
                kind: 2,
                startTimeUnixNano: '1700000000000000000',
                endTimeUnixNano: '1700000002000000000',
                attributes: [str('http.request.method', 'POST'), { key: 'http.response.status_code', value: { intValue: '200' } }],
                status: {},
              },
              {
                traceId: TRACE_ID,
                spanId: '5fb397be34d26b51',
                parentSpanId: '051581bf3cb55c13',
                name: 'chat gpt-4o',
                kind: 3,
                startTimeUnixNano: '1700000000100000000',
                endTimeUnixNano: '1700000001900000000',
                attributes: [
                  str('gen_ai.operation.name', 'chat'),
                  str('gen_ai.request.model', 'gpt-4o'),
                  str('gen_ai.input.messages', JSON.stringify(messages)),
                  { key: 'gen_ai.usage.input_tokens', value: { intValue: '321' } },
                ],
                events: [{ timeUnixNano: '1700000001000000000', name: 'gen_ai.first_token', attributes: [] }],
                status: { code: 1 },
              },
              {
                traceId: TRACE_ID,
                spanId: '3c1a4ba2a4cd5b29',
                parentSpanId: '051581bf3cb55c13',
                name: 'execute_tool get_weather',
                kind: 1,
                startTimeUnixNano: '1700000000500000000',
                endTimeUnixNano: '1700000000600000000',
                attributes: [str('gen_ai.tool.name', 'get_weather'), { key: 'retry', value: { boolValue: false } }],
                status: { code: 2, message: '503' },
              },
            ],
          },
        ],
      },
      {
        resource: { attributes: [str('service.name', 'billing')] },
        scopeSpans: [
          {
            scope: { name: 'billing' },
            spans: [
              {
                traceId: OTHER_TRACE_ID,
                spanId: 'b7ad6b7169203331',
                name: 'GET /invoices',
                kind: 2,
                startTimeUnixNano: '1700000003000000000',
                endTimeUnixNano: '1700000003050000000',
                attributes: [{ key: 'latency.ms', value: { doubleValue: 50.5 } }],
              },
            ],
          },
        ],
      },
    ],
  };
}
