// The OpenTelemetry contrib OpenAI instrumentation (@opentelemetry/instrumentation-openai) through NodeSDK: spans carry
// no content, every message is an OTLP log record (gen_ai.*.message / gen_ai.choice events; the Responses API: one
// gen_ai.client.inference.operation.details event each way) exported by the official log exporter to /v1/logs.
// The app wraps each user turn in an invoke_agent span naming the agent and the conversation (gen_ai.conversation.id).
'use strict';

process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT ??= 'true';
const { trace } = require('@opentelemetry/api');
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { BatchLogRecordProcessor } = require('@opentelemetry/sdk-node').logs;
const { OpenAIInstrumentation } = require('@opentelemetry/instrumentation-openai');
const { settings, traceExporter, logExporter, report, runAll, resource } = require('../lib/common.cjs');

async function main() {
  const s = settings();
  const sdk = new NodeSDK({
    resource: resource(),
    spanProcessors: [new SimpleSpanProcessor(traceExporter(s.encoding, `${s.serviceUrl}/v1/traces`))],
    // The SDK's default batching (records of one model call travel together, in the order they were emitted).
    logRecordProcessors: [new BatchLogRecordProcessor({ exporter: logExporter(s.encoding, `${s.serviceUrl}/v1/logs`), scheduledDelayMillis: 200 })],
    instrumentations: [new OpenAIInstrumentation()],
  });
  sdk.start();
  const { OpenAI } = require('openai');
  const { chatConversation, responsesConversation } = require('../lib/openai-loop.cjs');
  const client = new OpenAI({ baseURL: s.modelUrl, apiKey: 'test-key' });
  const tracer = trace.getTracer('weather-app');
  const conversation = process.env.RESPONSES === '1' ? responsesConversation : chatConversation;
  const agent = process.env.OTEL_SERVICE_NAME ?? 'weather-agent';
  const scenarios = await runAll(s, async (scenario, session) => {
    // Each user turn is one agent invocation (a trace); the conversation id ties the turns into one session.
    const turn = (run) =>
      tracer.startActiveSpan(`invoke_agent ${agent}`, { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': agent, 'gen_ai.conversation.id': session } }, async (span) => {
        try {
          return await run();
        } finally {
          span.end();
        }
      });
    await conversation(client, scenario, (fn) => fn, turn);
    return { session };
  }, async () => {
    const provider = trace.getTracerProvider();
    await (provider.getDelegate?.() ?? provider).forceFlush?.();
    await require('@opentelemetry/api-logs').logs.getLoggerProvider().forceFlush?.();
  });
  await sdk.shutdown();
  report({ scenarios });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
