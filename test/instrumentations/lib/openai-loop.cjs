// The scripted conversation through a raw OpenAI client (chat completions or the Responses API), with a small
// agent loop: call the model, run requested tools, call again until it answers, then the user's second turn.
'use strict';

const { QUESTION, COMPLAINT, SYSTEM, WEATHER_TOOL, weather } = require('./common.cjs');

async function chatOnce(client, messages, tools, stream) {
  const request = { model: 'gpt-4o-mini', messages, ...(tools ? { tools } : {}) };
  if (!stream) return (await client.chat.completions.create(request)).choices[0].message;
  const chunks = await client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
  const message = { role: 'assistant', content: '' };
  const calls = [];
  for await (const chunk of chunks) {
    const delta = chunk.choices[0]?.delta ?? {};
    if (delta.content) message.content += delta.content;
    for (const part of delta.tool_calls ?? []) {
      const call = (calls[part.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
      if (part.id) call.id = part.id;
      if (part.function?.name) call.function.name += part.function.name;
      if (part.function?.arguments) call.function.arguments += part.function.arguments;
    }
  }
  if (calls.length > 0) {
    message.tool_calls = calls;
    message.content = message.content || null;
  }
  return message;
}

async function toolResult(tool, argsText) {
  try {
    return String(await tool(JSON.parse(argsText)));
  } catch (error) {
    // What an agent loop does with a failing tool: the model gets the error as the result.
    return `Error: ${error.message}`;
  }
}

/** One user turn with chat completions: model, tools, model… until a plain answer. */
async function chatTurn(client, messages, scenario, tool) {
  const tools = scenario === 'no-tool' ? undefined : [WEATHER_TOOL];
  for (let step = 0; step < 4; step++) {
    const message = await chatOnce(client, messages, tools, scenario === 'streaming');
    messages.push(message);
    if (!message.tool_calls?.length) return;
    for (const call of message.tool_calls) messages.push({ role: 'tool', tool_call_id: call.id, content: await toolResult(tool, call.function.arguments) });
  }
  throw new Error('the model kept calling tools');
}

/**
 * The whole conversation with chat completions; `wrapTool` wraps get_weather (a tracing helper), `wrapTurn` runs each
 * user turn (an app's own span around it).
 */
async function chatConversation(client, scenario, wrapTool = (fn) => fn, wrapTurn = (run) => run()) {
  const tool = wrapTool(weather(scenario));
  const messages = [{ role: 'system', content: SYSTEM }, { role: 'user', content: QUESTION }];
  await wrapTurn(() => chatTurn(client, messages, scenario, tool));
  messages.push({ role: 'user', content: COMPLAINT });
  await wrapTurn(() => chatTurn(client, messages, scenario, tool));
  return messages;
}

const RESPONSES_TOOL = { type: 'function', name: 'get_weather', description: WEATHER_TOOL.function.description, parameters: WEATHER_TOOL.function.parameters, strict: true };

async function responsesOnce(client, input, tools, stream) {
  const request = { model: 'gpt-4o-mini', instructions: SYSTEM, input, ...(tools ? { tools } : {}) };
  if (!stream) return (await client.responses.create(request)).output;
  const events = await client.responses.create({ ...request, stream: true });
  let output = [];
  for await (const event of events) if (event.type === 'response.completed') output = event.response.output;
  return output;
}

/** The whole conversation with the Responses API (the input list grows with each output item and tool result). */
async function responsesConversation(client, scenario, wrapTool = (fn) => fn, wrapTurn = (run) => run()) {
  const tool = wrapTool(weather(scenario));
  const tools = scenario === 'no-tool' ? undefined : [RESPONSES_TOOL];
  const input = [{ role: 'user', content: QUESTION }];
  const turn = async () => {
    for (let step = 0; step < 4; step++) {
      const output = await responsesOnce(client, input, tools, scenario === 'streaming');
      input.push(...output);
      const calls = output.filter((item) => item.type === 'function_call');
      if (calls.length === 0) return;
      for (const call of calls) input.push({ type: 'function_call_output', call_id: call.call_id, output: await toolResult(tool, call.arguments) });
    }
    throw new Error('the model kept calling tools');
  };
  await wrapTurn(turn);
  input.push({ role: 'user', content: COMPLAINT });
  await wrapTurn(turn);
  return input;
}

module.exports = { chatConversation, responsesConversation };
