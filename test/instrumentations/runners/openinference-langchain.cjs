// LangChain (@langchain/openai ChatOpenAI with a bound tool) traced by OpenInference's LangChain instrumentation,
// the session set with setSession; a small agent loop runs the tool calls.
'use strict';

const { context } = require('@opentelemetry/api');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { LangChainInstrumentation } = require('@arizeai/openinference-instrumentation-langchain');
const { setSession } = require('@arizeai/openinference-core');
const { settings, traceExporter, report, runAll, resource, weather, QUESTION, COMPLAINT, SYSTEM } = require('../lib/common.cjs');

async function main() {
  const s = settings();
  const provider = new NodeTracerProvider({ resource: resource(), spanProcessors: [new SimpleSpanProcessor(traceExporter(s.encoding, `${s.serviceUrl}/v1/traces`))] });
  provider.register();
  new LangChainInstrumentation().manuallyInstrument(require('@langchain/core/callbacks/manager'));
  const { ChatOpenAI } = require('@langchain/openai');
  const { tool } = require('@langchain/core/tools');
  const { HumanMessage, SystemMessage, ToolMessage } = require('@langchain/core/messages');
  const { z } = require('zod');

  // A streaming app reads the model's stream (`.stream()`, chunks concatenated). `invoke` on a ChatOpenAI with
  // `streaming: true` streams too, but then estimates prompt and completion tokens with js-tiktoken, whose ranks it
  // downloads from tiktoken.pages.dev: offline every message of every call retries that download (minutes per call).
  const streamed = async (runnable, messages) => {
    let answer;
    for await (const chunk of await runnable.stream(messages)) answer = answer === undefined ? chunk : answer.concat(chunk);
    return answer;
  };
  const conversation = async (scenario) => {
    const streaming = scenario === 'streaming';
    let model = new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'test-key', configuration: { baseURL: s.modelUrl }, streaming });
    const getWeather = weather(scenario);
    const weatherTool = tool(async ({ city }) => getWeather({ city }), { name: 'get_weather', description: 'Current weather in a city', schema: z.object({ city: z.string() }) });
    if (scenario !== 'no-tool') model = model.bindTools([weatherTool]);
    const messages = [new SystemMessage(SYSTEM), new HumanMessage(QUESTION)];
    const turn = async () => {
      for (let step = 0; step < 4; step++) {
        const answer = streaming ? await streamed(model, messages) : await model.invoke(messages);
        messages.push(answer);
        if (!answer.tool_calls?.length) return;
        for (const call of answer.tool_calls) {
          try {
            messages.push(await weatherTool.invoke(call));
          } catch (error) {
            messages.push(new ToolMessage({ content: `Error: ${error.message}`, tool_call_id: call.id, name: call.name }));
          }
        }
      }
      throw new Error('the model kept calling tools');
    };
    await turn();
    messages.push(new HumanMessage(COMPLAINT));
    await turn();
  };
  const scenarios = await runAll(s, async (scenario, session) => {
    await context.with(setSession(context.active(), { sessionId: session }), () => conversation(scenario));
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
