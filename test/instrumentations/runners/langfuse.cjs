// Langfuse's OTel SDK: LangfuseSpanProcessor with its default endpoint ({baseUrl}/api/public/otel/v1/traces, its own
// JSON exporter; ENCODING=protobuf passes a protobuf exporter to the same path), the OpenAI client wrapped by
// observeOpenAI, the tool by observe(asType tool), each conversation inside an agent observation, the session
// propagated.
'use strict';

const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { LangfuseSpanProcessor } = require('@langfuse/otel');
const { observe, propagateAttributes, startActiveObservation } = require('@langfuse/tracing');
const { observeOpenAI } = require('@langfuse/openai');
const { OpenAI } = require('openai');
const { settings, traceExporter, report, runAll, resource, watchExportersOf } = require('../lib/common.cjs');

async function main() {
  const s = settings();
  // Its own JSON exporter (made inside the processor, none passed in) reports failed exports too.
  watchExportersOf('@langfuse/otel', ['traces']);
  const publicKey = 'pk-lf-harness';
  const secretKey = 'sk-lf-harness';
  const auth = { Authorization: `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}` };
  const processor = new LangfuseSpanProcessor({
    publicKey,
    secretKey,
    baseUrl: s.serviceUrl,
    exportMode: 'immediate',
    ...(s.encoding === 'protobuf' ? { exporter: traceExporter('protobuf', `${s.serviceUrl}/api/public/otel/v1/traces`, auth) } : {}),
  });
  const provider = new NodeTracerProvider({ resource: resource(), spanProcessors: [processor] });
  provider.register();
  const { chatConversation } = require('../lib/openai-loop.cjs');
  const client = observeOpenAI(new OpenAI({ baseURL: s.modelUrl, apiKey: 'test-key' }));
  const wrap = (fn) => observe(fn, { name: 'get_weather', asType: 'tool' });
  const scenarios = await runAll(s, async (scenario, session) => {
    await propagateAttributes({ sessionId: session }, () =>
      startActiveObservation('weather-agent', () => chatConversation(client, scenario, wrap), { asType: 'agent' }),
    );
    return { session };
  }, () => processor.forceFlush());
  await processor.forceFlush();
  await provider.shutdown();
  report({ scenarios });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
