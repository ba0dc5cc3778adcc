// The Vercel AI SDK (AI_VERSION 4, 5 or 6) with experimental_telemetry, the session in its metadata; spans go
// through NodeSDK (OTEL_SETUP=nodesdk, default) or @vercel/otel's registerOTel (OTEL_SETUP=vercel).
'use strict';

const { SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { settings, traceExporter, report, runAll, resource, weather, QUESTION, COMPLAINT, SYSTEM } = require('../lib/common.cjs');

const VERSION = process.env.AI_VERSION ?? '6';
const ai = require(VERSION === '6' ? 'ai' : `ai-v${VERSION}`);
const { createOpenAI } = require({ 4: '@ai-sdk/openai-v1', 5: '@ai-sdk/openai-v2', 6: '@ai-sdk/openai' }[VERSION]);

const PARAMETERS = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };

function tools(scenario) {
  if (scenario === 'no-tool') return undefined;
  const execute = weather(scenario);
  const schema = ai.jsonSchema(PARAMETERS);
  const definition = VERSION === '4' ? { description: 'Current weather in a city', parameters: schema, execute } : { description: 'Current weather in a city', inputSchema: schema, execute };
  return { get_weather: ai.tool(definition) };
}

async function turn(model, messages, scenario, session) {
  const options = {
    model,
    system: SYSTEM,
    messages,
    tools: tools(scenario),
    ...(VERSION === '4' ? { maxSteps: 4 } : { stopWhen: ai.stepCountIs(4) }),
    experimental_telemetry: { isEnabled: true, functionId: 'weather-chat', metadata: { sessionId: session } },
  };
  if (scenario === 'streaming') {
    const result = ai.streamText(options);
    await result.consumeStream?.();
    await result.text;
    return (await result.response).messages;
  }
  return (await ai.generateText(options)).response.messages;
}

async function conversation(model, scenario, session) {
  const messages = [{ role: 'user', content: QUESTION }];
  try {
    messages.push(...(await turn(model, messages, scenario, session)));
  } catch (error) {
    // AI SDK 4 stops on a throwing tool (ToolExecutionError): the app answers the call with the error and asks again.
    if (!error?.toolCallId) throw error;
    messages.push({ role: 'assistant', content: [{ type: 'tool-call', toolCallId: error.toolCallId, toolName: error.toolName, args: error.toolArgs }] });
    messages.push({ role: 'tool', content: [{ type: 'tool-result', toolCallId: error.toolCallId, toolName: error.toolName, result: `Error: ${error.cause?.message ?? error.message}` }] });
    messages.push(...(await turn(model, messages, 'no-tool', session)));
  }
  messages.push({ role: 'user', content: COMPLAINT });
  messages.push(...(await turn(model, messages, scenario, session)));
}

async function main() {
  const s = settings();
  const exporter = traceExporter(s.encoding, `${s.serviceUrl}/v1/traces`);
  const flushSpans = async () => {
    const provider = require('@opentelemetry/api').trace.getTracerProvider();
    await (provider.getDelegate?.() ?? provider).forceFlush?.();
  };
  let flush;
  if (process.env.OTEL_SETUP === 'vercel') {
    const { registerOTel } = require('@vercel/otel');
    registerOTel({ serviceName: process.env.OTEL_SERVICE_NAME, spanProcessors: [new SimpleSpanProcessor(exporter)] });
    flush = flushSpans;
  } else {
    const { NodeSDK } = require('@opentelemetry/sdk-node');
    const sdk = new NodeSDK({ resource: resource(), spanProcessors: [new SimpleSpanProcessor(exporter)], instrumentations: [] });
    sdk.start();
    flush = () => sdk.shutdown();
  }
  const provider = createOpenAI({ baseURL: s.modelUrl, apiKey: 'test-key', ...(VERSION === '4' ? { compatibility: 'strict' } : {}) });
  const model = provider.chat('gpt-4o-mini');
  const scenarios = await runAll(s, async (scenario, session) => {
    await conversation(model, scenario, session);
    return { session };
  }, flushSpans);
  await flush();
  report({ scenarios });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
