import { FormatError } from './format-error.js';
import { isJsonObject, jsonTypeOf, type JsonObject } from './json-value.js';
import { assistantMessage, contentText, toolCall, toolMessage } from './traces/chat.js';

const ROLE_OF_TYPE: Record<string, string> = { human: 'user', ai: 'assistant', tool: 'tool', function: 'tool', system: 'system' };
const ROLE_OF_CLASS: Record<string, string> = {
  HumanMessage: 'user',
  AIMessage: 'assistant',
  AIMessageChunk: 'assistant',
  ToolMessage: 'tool',
  FunctionMessage: 'tool',
  SystemMessage: 'system',
};

/** True for a LangChain message dict: `{type: "human" | "ai" | "tool" | "system", content}` or its serialized (`lc`) form. */
export function isLangChainMessage(message: JsonObject): boolean {
  if (message.lc !== undefined && message.type === 'constructor') return true;
  return !('role' in message) && typeof message.type === 'string' && message.type in ROLE_OF_TYPE && ('content' in message || isJsonObject(message.data));
}

/** The role and fields of one message in any of its three dict shapes (flat, `{type, data}`, `{lc, id, kwargs}`). */
function unwrap(message: JsonObject): { role: string | undefined; fields: JsonObject } {
  if (message.type === 'constructor' && Array.isArray(message.id)) {
    const cls = message.id[message.id.length - 1];
    return { role: typeof cls === 'string' ? ROLE_OF_CLASS[cls] : undefined, fields: isJsonObject(message.kwargs) ? message.kwargs : {} };
  }
  const role = typeof message.type === 'string' ? ROLE_OF_TYPE[message.type] : undefined;
  return { role, fields: isJsonObject(message.data) ? message.data : message };
}

/** An AI message's tool calls: LangChain `tool_calls: [{name, args, id}]`, else the provider's `additional_kwargs.tool_calls`. */
function callsOf(fields: JsonObject): JsonObject[] {
  const own = Array.isArray(fields.tool_calls) ? fields.tool_calls : [];
  const extra = isJsonObject(fields.additional_kwargs) && Array.isArray(fields.additional_kwargs.tool_calls) ? fields.additional_kwargs.tool_calls : [];
  const list = own.length > 0 ? own : extra;
  return list.filter(isJsonObject).map((call) => {
    const fn = isJsonObject(call.function) ? call.function : call;
    return toolCall(call.id, fn.name, fn.args ?? fn.arguments);
  });
}

/**
 * LangChain / LangGraph message dicts (`messages_to_dict`, `message.dict()`, or `dumpd` serialization) → OpenAI
 * chat messages: human → user, ai → assistant with its tool calls (object `args` serialized), tool → tool result.
 */
export function langChainToOpenAI(messages: unknown[]): JsonObject[] {
  return messages.map((message, i) => {
    const where = `messages[${i}]`;
    if (!isJsonObject(message)) throw new FormatError(`${where}: message must be an object, got ${jsonTypeOf(message)}`);
    const { role, fields } = unwrap(message);
    const text = contentText(fields.content ?? '');
    switch (role) {
      case 'user':
      case 'system':
        return { role, content: text };
      case 'assistant':
        return assistantMessage(text, callsOf(fields));
      case 'tool':
        return toolMessage(fields.tool_call_id, typeof fields.content === 'string' ? fields.content : text);
      default:
        throw new FormatError(`${where}: unknown LangChain message type ${JSON.stringify(message.type ?? null)}`);
    }
  });
}
