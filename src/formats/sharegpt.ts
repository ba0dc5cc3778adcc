import type { Message } from '../core/types.js';
import { FormatError } from './format-error.js';
import { isJsonObject, jsonTypeOf } from './json-value.js';

function field(row: Record<string, unknown>, key: 'from' | 'value', where: string): string {
  if (!Object.hasOwn(row, key)) return '';
  const value = row[key];
  if (typeof value !== 'string') throw new FormatError(`${where}: "${key}" must be a string, got ${jsonTypeOf(value)}`);
  return value;
}

/**
 * ShareGPT rows taken as given (spec §2.6): a missing `from`/`value` is "", a null or non-string one is an error,
 * extra keys are ignored.
 */
export function shareGPTToMessages(rows: unknown[]): Message[] {
  return rows.map((row, i) => {
    const where = `messages[${i}]`;
    if (!isJsonObject(row)) throw new FormatError(`${where}: row must be an object, got ${jsonTypeOf(row)}`);
    return { from: field(row, 'from', where), value: field(row, 'value', where) };
  });
}
