import { isJsonObject, type JsonObject } from '../json-value.js';
import { assistantMessage, chatMessage, chatMessages, jsonOrText, maybeJson, toolRun } from './chat.js';

/** A generation's input as Langfuse keeps it: a chat message list, `{messages: [...]}`, or a plain prompt string. */
export function langfuseInput(value: unknown): JsonObject[] | undefined {
  const input = maybeJson(value);
  if (typeof input === 'string') return input === '' ? undefined : [{ role: 'user', content: input }];
  if (isJsonObject(input) && Array.isArray(input.messages)) return chatMessages(input.messages);
  return chatMessages(input);
}

/** A generation's output: a string, one assistant message, a message list, or an OpenAI response with `choices`. */
export function langfuseOutput(value: unknown): JsonObject[] | undefined {
  const output = maybeJson(value);
  if (output === undefined || output === null) return [];
  if (typeof output === 'string') return [assistantMessage(output)];
  if (isJsonObject(output) && Array.isArray(output.choices)) {
    return output.choices.filter(isJsonObject).flatMap((choice) => {
      const message = chatMessage({ role: 'assistant', ...(isJsonObject(choice.message) ? choice.message : {}) });
      return message === undefined ? [] : [message];
    });
  }
  if (isJsonObject(output)) {
    const message = chatMessage({ role: 'assistant', ...output });
    return message === undefined ? undefined : [message];
  }
  return chatMessages(output);
}

/** Messages of one Langfuse observation by its type: a generation's input and output, or a tool's call and result. */
export function langfuseObservationMessages(type: string, name: string, input: unknown, output: unknown): { messages: JsonObject[]; kind: 'llm' | 'tool' } | undefined {
  const kind = type.toLowerCase();
  if (kind === 'tool') return { messages: toolRun('', name, jsonOrText(input), jsonOrText(output) ?? ''), kind: 'tool' };
  if (kind !== 'generation') return undefined;
  const inputs = input === undefined ? [] : langfuseInput(input);
  const outputs = langfuseOutput(output);
  if (inputs === undefined || outputs === undefined) return undefined;
  return { messages: [...inputs, ...outputs], kind: 'llm' };
}
