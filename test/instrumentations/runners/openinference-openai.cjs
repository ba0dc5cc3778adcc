// OpenInference for OpenAI (chat completions; RESPONSES=1: the Responses API), tools wrapped with traceTool,
// the session set with setSession.
'use strict';

const { context } = require('@opentelemetry/api');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { OpenAIInstrumentation } = require('@arizeai/openinference-instrumentation-openai');
const { setSession, traceTool } = require('@arizeai/openinference-core');
const { settings, traceExporter, report, runAll, resource } = require('../lib/common.cjs');

async function main() {
  const s = settings();
  const provider = new NodeTracerProvider({ resource: resource(), spanProcessors: [new SimpleSpanProcessor(traceExporter(s.encoding, `${s.serviceUrl}/v1/traces`))] });
  provider.register();
  const instrumentation = new OpenAIInstrumentation();
  registerInstrumentations({ instrumentations: [instrumentation] });
  const OpenAI = require('openai');
  instrumentation.manuallyInstrument(OpenAI);
  const { chatConversation, responsesConversation } = require('../lib/openai-loop.cjs');
  const client = new OpenAI({ baseURL: s.modelUrl, apiKey: 'test-key' });
  const conversation = process.env.RESPONSES === '1' ? responsesConversation : chatConversation;
  const scenarios = await runAll(s, async (scenario, session) => {
    await context.with(setSession(context.active(), { sessionId: session }), () => conversation(client, scenario, (fn) => traceTool(fn, { name: 'get_weather' })));
    return { session };
  }, () => provider.forceFlush());
  await provider.forceFlush();
  await provider.shutdown();
  report({ scenarios });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
