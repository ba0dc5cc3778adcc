// OpenLLMetry (Traceloop) with its OpenAI instrumentation, the tool run inside withTool around a closure (as
// apps do), the session as an association property.
'use strict';

const traceloop = require('@traceloop/node-server-sdk');
const { OpenAI } = require('openai');
const { settings, traceExporter, report, runAll } = require('../lib/common.cjs');

async function main() {
  const s = settings();
  traceloop.initialize({
    appName: process.env.OTEL_SERVICE_NAME,
    apiKey: 'test-key',
    baseUrl: s.modelUrl.replace(/\/v1$/, ''),
    disableBatch: true,
    exporter: traceExporter(s.encoding, `${s.serviceUrl}/v1/traces`),
    instrumentModules: { openAI: OpenAI },
    logLevel: 'error',
  });
  const { chatConversation } = require('../lib/openai-loop.cjs');
  const client = new OpenAI({ baseURL: s.modelUrl, apiKey: 'test-key' });
  const wrap = (fn) => (args) => traceloop.withTool({ name: 'get_weather' }, () => fn(args));
  const scenarios = await runAll(s, async (scenario, session) => {
    await traceloop.withAssociationProperties({ session_id: session }, () => chatConversation(client, scenario, wrap));
    return { session };
  }, () => traceloop.forceFlush());
  await traceloop.forceFlush();
  report({ scenarios });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
