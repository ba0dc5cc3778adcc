// The OpenAI Agents SDK (chat completions API) with its own trace exporter (OpenAITracingExporter) pointed at
// TRACES_INGEST_URL; the session is the run's group id. OPENINFERENCE=1 instead bridges its traces to OTLP with
// @arizeai/openinference-instrumentation-openai-agents.
'use strict';

const { settings, report, runAll, traceExporter, resource, weather, QUESTION, COMPLAINT, SYSTEM } = require('../lib/common.cjs');

async function main() {
  const s = settings();
  const agents = require('@openai/agents');
  const { OpenAI } = require('openai');
  agents.setDefaultOpenAIClient(new OpenAI({ baseURL: s.modelUrl, apiKey: 'test-key' }));
  agents.setOpenAIAPI('chat_completions');
  let flush;
  if (process.env.OPENINFERENCE === '1') {
    const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
    const { SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
    const { OpenAIAgentsInstrumentation } = require('@arizeai/openinference-instrumentation-openai-agents');
    const provider = new NodeTracerProvider({ resource: resource(), spanProcessors: [new SimpleSpanProcessor(traceExporter(s.encoding, `${s.serviceUrl}/v1/traces`))] });
    provider.register();
    const instrumentation = new OpenAIAgentsInstrumentation({ tracerProvider: provider });
    instrumentation.manuallyInstrument(agents);
    flush = async () => {
      // A streamed run resolves `completed` a few microtasks before the SDK ends its trace (and the bridge its root
      // span): let that happen first, so the flush covers the whole turn.
      await new Promise((resolve) => setImmediate(resolve));
      await agents.getGlobalTraceProvider().forceFlush();
      await provider.forceFlush();
    };
  } else {
    const { OpenAITracingExporter } = require('@openai/agents-openai');
    const exporter = new OpenAITracingExporter({ apiKey: 'test-key', endpoint: process.env.TRACES_INGEST_URL ?? `${s.modelUrl}/traces/ingest` });
    agents.setTraceProcessors([new agents.BatchTraceProcessor(exporter, { scheduleDelay: 100 })]);
    flush = () => agents.getGlobalTraceProvider().forceFlush();
  }
  const scenarios = await runAll(s, async (scenario, session) => {
    const tools =
      scenario === 'no-tool'
        ? []
        : [
            agents.tool({
              name: 'get_weather',
              description: 'Current weather in a city',
              parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
              strict: true,
              execute: weather(scenario),
            }),
          ];
    const agent = new agents.Agent({ name: 'weather-agent', instructions: SYSTEM, model: 'gpt-4o-mini', tools });
    const stream = scenario === 'streaming';
    const runner = new agents.Runner({ groupId: session, workflowName: 'weather-agent' });
    const turn = async (input) => {
      const result = await runner.run(agent, input, { stream });
      if (stream) await result.completed;
      return result.history;
    };
    const both = async () => {
      const history = await turn(QUESTION);
      await turn([...history, { role: 'user', content: COMPLAINT }]);
    };
    if (process.env.OPENINFERENCE === '1') {
      // The bridge does not carry the run's group id: the session comes from OpenInference's context instead.
      const { context } = require('@opentelemetry/api');
      const { setSession } = require('@arizeai/openinference-core');
      await context.with(setSession(context.active(), { sessionId: session }), both);
    } else await both();
    return { session };
  }, flush);
  await flush();
  report({ scenarios });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
