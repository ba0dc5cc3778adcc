import type { FormatName } from './conversation.js';
import { isJsonObject, type JsonObject } from './json-value.js';
import { isLangChainMessage } from './langchain.js';
import { isTau2ResultsFile, isTauResult } from './tau.js';
import { isLangfuseExport } from './traces/langfuse-export.js';
import { isOpenAIAgentsExport } from './traces/openai-agents.js';

const RESPONSES_ITEM_TYPES = new Set(['message', 'function_call', 'function_call_output', 'reasoning']);
const RESPONSES_PART_TYPES = new Set(['input_text', 'output_text']);
const ANTHROPIC_BLOCK_TYPES = new Set(['tool_use', 'tool_result', 'thinking']);
const OPENAI_ONLY_ROLES = new Set(['tool', 'system', 'developer', 'function']);

function partTypes(message: JsonObject): string[] {
  if (!Array.isArray(message.content)) return [];
  return message.content.map((part) => (isJsonObject(part) && typeof part.type === 'string' ? part.type : ''));
}

/** The format one message proves, or undefined when it fits several (a plain `{role, content: "text"}`). */
function formatOfMessage(message: JsonObject): FormatName | undefined {
  if ('from' in message || 'value' in message) return 'sharegpt';
  if (isLangChainMessage(message)) return 'langchain';
  if (typeof message.type === 'string' && RESPONSES_ITEM_TYPES.has(message.type)) return 'responses';
  const types = partTypes(message);
  if (types.some((type) => RESPONSES_PART_TYPES.has(type))) return 'responses';
  if (types.some((type) => ANTHROPIC_BLOCK_TYPES.has(type))) return 'anthropic';
  if ('tool_calls' in message || 'tool_call_id' in message || 'function_call' in message) return 'openai';
  if (typeof message.role === 'string' && OPENAI_ONLY_ROLES.has(message.role)) return 'openai';
  return undefined;
}

/**
 * The format of a message list: the first message that proves one decides; plain `{role, content}` messages
 * read the same in every chat format and count as OpenAI (Anthropic when the record has a top-level `system`).
 */
function formatOfMessages(messages: unknown[], record: JsonObject | undefined): FormatName | undefined {
  let hasRoles = false;
  for (const message of messages) {
    if (!isJsonObject(message) || isAnthropicResponse(message)) return undefined;
    const format = formatOfMessage(message);
    if (format) return format;
    hasRoles ||= typeof message.role === 'string';
  }
  if (messages.length === 0) return 'sharegpt';
  // No message of a `messages` list names a role: ShareGPT rows whose missing `from`/`value` default to ""
  // (spec §2.6), as the reference replay reads `{"messages":[{}]}`. A bare array of such objects stays unknown.
  if (!hasRoles) return record ? 'sharegpt' : undefined;
  return record && 'system' in record ? 'anthropic' : 'openai';
}

/**
 * An Anthropic Messages API response (`{"type": "message", "role": "assistant", "content": [...], "stop_reason"}`):
 * only the reply, never a conversation, and not a Responses `message` item (which has no `stop_reason`/`model`).
 */
export function isAnthropicResponse(record: JsonObject): boolean {
  return record.type === 'message' && ('stop_reason' in record || 'model' in record || 'usage' in record);
}

/** An Alpaca-style instruction row (`{instruction, input, output}`): a prompt and one answer, not a conversation. */
export function isAlpacaRow(record: JsonObject): boolean {
  return typeof record.instruction === 'string' && 'output' in record;
}

/** Why a record matches no format, for the error line: names the look-alike shapes users send most. */
export function unrecognizedReason(record: unknown): string {
  if (isJsonObject(record) && isAlpacaRow(record)) return 'an Alpaca-style {"instruction","input","output"} row is not a conversation; convert it to messages';
  if (isJsonObject(record) && isAnthropicResponse(record)) return 'an Anthropic API response ("type":"message") holds only the reply; log the request messages (with --format anthropic) instead';
  if (Array.isArray(record) && record.some((item) => isJsonObject(item) && isAnthropicResponse(item))) {
    return 'Anthropic API responses ("type":"message") hold only replies; log the request messages (with --format anthropic) instead';
  }
  return 'unrecognized record: expected "messages", "conversations", "input", "traj", "resourceSpans", "observations" or "data", or an array of messages';
}

/**
 * Guess the format of one input record: an OTLP export (`resourceSpans`), a Langfuse trace export (`observations`),
 * an OpenAI Agents trace export (`data` of `trace.span` objects), a tau result (`traj`, or `messages`
 * with `reward_info`/`task_id`) or tau2 results file (`simulations`), a Responses request (`input`), or a message list (`messages`, `conversations` or
 * a bare array) whose messages tell ShareGPT, OpenAI, Responses and Anthropic apart. Undefined when nothing fits.
 */
export function detectFormat(record: unknown): FormatName | undefined {
  if (Array.isArray(record)) {
    if (record.length > 0 && record.every((item) => isJsonObject(item) && isTauResult(item))) return 'tau';
    return formatOfMessages(record, undefined);
  }
  if (!isJsonObject(record)) return undefined;
  if ('resourceSpans' in record) return 'otlp';
  if (isLangfuseExport(record)) return 'langfuse';
  if (isOpenAIAgentsExport(record)) return 'openai-agents';
  if (isTauResult(record) || isTau2ResultsFile(record)) return 'tau';
  if (isAlpacaRow(record) || isAnthropicResponse(record)) return undefined;
  const messages = record.messages ?? record.conversations;
  if (Array.isArray(messages)) return formatOfMessages(messages, record);
  if (Array.isArray(record.input) || typeof record.input === 'string') return 'responses';
  return undefined;
}
