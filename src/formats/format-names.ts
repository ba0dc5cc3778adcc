import type { FormatName } from './conversation.js';

/** Every accepted `--format` value, in help order. */
export const FORMAT_NAMES: readonly FormatName[] = ['sharegpt', 'openai', 'responses', 'anthropic', 'langchain', 'otlp', 'langfuse', 'openai-agents', 'tau'];

/** True when `name` is one of FORMAT_NAMES. */
export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}
