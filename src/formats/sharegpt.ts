import type { Message } from '../core/types.js';
import { FormatError } from './format-error.js';
import { isJsonObject, jsonTypeOf } from './json-value.js';

function field(row: Record<string, unknown>, key: 'from' | 'value', where: string): string {
  if (!Object.hasOwn(row, key)) return '';
  const value = row[key];
  if (typeof value !== 'string') throw new FormatError(`${where}: "${key}" must be a string, got ${jsonTypeOf(value)}`);
  return value;
}

/** `from` values of datasets that name roles instead (`user`/`assistant`/`system`/`tool`) → the ShareGPT ones. */
const ROLE_NAMES: Record<string, string> = { user: 'human', assistant: 'gpt', tool: 'observation' };
const SHAREGPT_NAMES = new Set(['human', 'gpt']);

/**
 * True when the rows name roles (`user`/`assistant`/…) and never a ShareGPT speaker (`human`/`gpt`): only then are
 * they renamed, so a row list in the reference's own vocabulary is always taken as given.
 */
function usesRoleNames(rows: Message[]): boolean {
  let roles = false;
  for (const { from } of rows) {
    if (SHAREGPT_NAMES.has(from)) return false;
    roles ||= Object.hasOwn(ROLE_NAMES, from);
  }
  return roles;
}

/**
 * ShareGPT rows taken as given (spec §2.6): a missing `from`/`value` is "", a null or non-string one is an error,
 * extra keys are ignored. Rows whose `from` are role names (user/assistant/system/tool, with no human/gpt row)
 * are renamed to human/gpt/observation and their system rows dropped, as the same messages read in OpenAI form.
 */
export function shareGPTToMessages(rows: unknown[]): Message[] {
  const messages = rows.map((row, i) => {
    const where = `messages[${i}]`;
    if (!isJsonObject(row)) throw new FormatError(`${where}: row must be an object, got ${jsonTypeOf(row)}`);
    return { from: field(row, 'from', where), value: field(row, 'value', where) };
  });
  if (!usesRoleNames(messages)) return messages;
  return messages.filter(({ from }) => from !== 'system').map(({ from, value }) => ({ from: Object.hasOwn(ROLE_NAMES, from) ? ROLE_NAMES[from] : from, value }));
}
