// OpenLIT (openlit.init): its OpenAI wrapper puts the messages on the chat spans (gen_ai.input.messages /
// gen_ai.output.messages) and emits one gen_ai.client.inference.operation.details log record per call, exported by
// its own OTLP/HTTP JSON trace and log exporters to OTLP_ENDPOINT/v1/traces and /v1/logs. Each user turn runs in an
// openlit.startTrace span carrying the conversation id and the agent (OpenLIT has no session of its own).
'use strict';

const { settings, report, runAll, watchExportersOf } = require('../lib/common.cjs');

async function main() {
  const s = settings();
  // Its own trace and log exporters (made by init, none passed in) report failed exports too.
  watchExportersOf('openlit', ['traces', 'logs']);
  const openlit = require('openlit').default;
  openlit.init({
    applicationName: process.env.OTEL_SERVICE_NAME ?? 'weather-agent',
    otlpEndpoint: s.serviceUrl,
    // No metrics route on the service; prices are a download (no network here): an empty table instead.
    disableMetrics: true,
    pricingJson: {},
  });
  // Required after init: OpenLIT patches the module when it is loaded.
  const { OpenAI } = require('openai');
  const { trace } = require('@opentelemetry/api');
  const { logs } = require('@opentelemetry/api-logs');
  const { chatConversation, responsesConversation } = require('../lib/openai-loop.cjs');
  const client = new OpenAI({ baseURL: s.modelUrl, apiKey: 'test-key' });
  // RESPONSES=1 runs the Responses API (for looking at its exports: record.mjs openlit RESPONSES=1).
  const conversation = process.env.RESPONSES === '1' ? responsesConversation : chatConversation;
  const agent = process.env.OTEL_SERVICE_NAME ?? 'weather-agent';
  const scenarios = await runAll(s, async (scenario, session) => {
    const turn = (run) =>
      openlit.startTrace(`invoke_agent ${agent}`, async (span) => {
        span.setMetadata({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': agent, 'gen_ai.conversation.id': session });
        return run();
      });
    await conversation(client, scenario, (fn) => fn, turn);
    return { session };
  });
  // OpenLIT registers the global providers (batching both): flush them before the report.
  await trace.getTracerProvider().getDelegate().forceFlush();
  await logs.getLoggerProvider().forceFlush?.();
  report({ scenarios });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
