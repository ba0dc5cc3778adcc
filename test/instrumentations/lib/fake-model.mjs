/**
 * A local OpenAI-compatible model for the harness (node:http on 127.0.0.1, port 0): chat completions (with tools,
 * streaming or not) and the Responses API (streaming or not). It is stateless: each answer follows from the
 * request's last message, so every instrumentation replays the same scripted conversation.
 *   user asks for the weather + a get_weather tool offered -> a get_weather({"city":"Paris"}) call
 *   last message is a tool result                            -> an apology
 *   user asks for the weather, no tool                       -> a generic answer
 *   anything else (the user gives up)                        -> a short goodbye
 */
import { createServer } from 'node:http';

export const TEXT = {
  apology: "I'm sorry, I couldn't get the weather for Paris: the weather service is not answering right now.",
  generic: 'Paris usually has mild weather this time of year, around 15 degrees.',
  goodbye: 'Understood, sorry I could not help.',
};
const CALL = { id: 'call_weather_1', name: 'get_weather', arguments: '{"city":"Paris"}' };

function textOf(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'string' ? p : p?.text ?? '')).join('\n');
  return '';
}

/** The scripted decision from a normalized last turn: `{role, text}` and whether get_weather is offered. */
function decide(last, offersTool) {
  if (last.role === 'tool') return { text: TEXT.apology };
  if (/weather/i.test(last.text) && offersTool) return { call: CALL };
  if (/weather/i.test(last.text)) return { text: TEXT.generic };
  return { text: TEXT.goodbye };
}

const toolNames = (tools) => (Array.isArray(tools) ? tools.map((t) => t?.function?.name ?? t?.name) : []);

function chatDecision(body) {
  const last = body.messages?.[body.messages.length - 1] ?? {};
  return decide({ role: last.role, text: textOf(last.content) }, toolNames(body.tools).includes('get_weather'));
}

function responsesDecision(body) {
  const input = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : body.input ?? [];
  const last = input[input.length - 1] ?? {};
  const role = last.type === 'function_call_output' ? 'tool' : last.role ?? 'user';
  return decide({ role, text: textOf(last.content) }, toolNames(body.tools).includes('get_weather'));
}

const usage = { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 };
let counter = 0;

function chatCompletion(body, d) {
  const message = d.call
    ? { role: 'assistant', content: null, tool_calls: [{ id: d.call.id, type: 'function', function: { name: d.call.name, arguments: d.call.arguments } }] }
    : { role: 'assistant', content: d.text };
  return {
    id: `chatcmpl-${++counter}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model ?? 'gpt-4o-mini',
    choices: [{ index: 0, message, logprobs: null, finish_reason: d.call ? 'tool_calls' : 'stop' }],
    usage,
  };
}

function chatChunks(body, d) {
  const base = { id: `chatcmpl-${++counter}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: body.model ?? 'gpt-4o-mini' };
  const chunk = (delta, finish = null) => ({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const chunks = [chunk({ role: 'assistant', content: d.call ? null : '' })];
  if (d.call) {
    chunks.push(chunk({ tool_calls: [{ index: 0, id: d.call.id, type: 'function', function: { name: d.call.name, arguments: '' } }] }));
    chunks.push(chunk({ tool_calls: [{ index: 0, function: { arguments: d.call.arguments } }] }));
    chunks.push(chunk({}, 'tool_calls'));
  } else {
    const words = d.text.split(/(?<= )/);
    for (const word of words) chunks.push(chunk({ content: word }));
    chunks.push(chunk({}, 'stop'));
  }
  if (body.stream_options?.include_usage) chunks.push({ ...base, choices: [], usage });
  return chunks;
}

function responseObject(body, d) {
  const id = `resp_${++counter}`;
  const output = d.call
    ? [{ type: 'function_call', id: `fc_${counter}`, call_id: d.call.id, name: d.call.name, arguments: d.call.arguments, status: 'completed' }]
    : [{ type: 'message', id: `msg_${counter}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: d.text, annotations: [] }] }];
  return {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'completed',
    model: body.model ?? 'gpt-4o-mini',
    output,
    output_text: d.text ?? '',
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: body.tools ?? [],
    usage: { input_tokens: 40, input_tokens_details: { cached_tokens: 0 }, output_tokens: 12, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 52 },
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    metadata: {},
    temperature: 1,
    top_p: 1,
    text: { format: { type: 'text' } },
  };
}

function responseEvents(body, d) {
  const done = responseObject(body, d);
  const started = { ...done, status: 'in_progress', output: [], usage: null };
  const item = done.output[0];
  let seq = 0;
  const ev = (type, rest) => ({ type, sequence_number: seq++, ...rest });
  const events = [ev('response.created', { response: started }), ev('response.in_progress', { response: started })];
  if (item.type === 'function_call') {
    events.push(ev('response.output_item.added', { output_index: 0, item: { ...item, arguments: '', status: 'in_progress' } }));
    events.push(ev('response.function_call_arguments.delta', { output_index: 0, item_id: item.id, delta: item.arguments }));
    events.push(ev('response.function_call_arguments.done', { output_index: 0, item_id: item.id, arguments: item.arguments }));
  } else {
    const text = item.content[0].text;
    events.push(ev('response.output_item.added', { output_index: 0, item: { ...item, content: [], status: 'in_progress' } }));
    events.push(ev('response.content_part.added', { output_index: 0, item_id: item.id, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }));
    for (const word of text.split(/(?<= )/)) events.push(ev('response.output_text.delta', { output_index: 0, item_id: item.id, content_index: 0, delta: word }));
    events.push(ev('response.output_text.done', { output_index: 0, item_id: item.id, content_index: 0, text }));
    events.push(ev('response.content_part.done', { output_index: 0, item_id: item.id, content_index: 0, part: item.content[0] }));
  }
  events.push(ev('response.output_item.done', { output_index: 0, item }));
  events.push(ev('response.completed', { response: done }));
  return events;
}

/** Starts the model; `requests` records every request body and path, in order. */
export async function startFakeModel() {
  const requests = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let body = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"bad json"}}');
        return;
      }
      const path = (req.url ?? '').replace(/\?.*$/, '');
      requests.push({ path, body });
      const chat = path.endsWith('/chat/completions');
      const responses = path.endsWith('/responses');
      if (!chat && !responses) {
        // Traceloop asks for prompts, the Agents SDK's exporter may land here: answer an empty success.
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      const d = chat ? chatDecision(body) : responsesDecision(body);
      if (!body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(chat ? chatCompletion(body, d) : responseObject(body, d)));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      if (chat) {
        for (const c of chatChunks(body, d)) res.write(`data: ${JSON.stringify(c)}\n\n`);
        res.end('data: [DONE]\n\n');
      } else {
        for (const e of responseEvents(body, d)) res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
        res.end();
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}
