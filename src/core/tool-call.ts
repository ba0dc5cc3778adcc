import { compareCodePoints, parseJson, stringifyJson, type JsonNode } from './json.js';
import { trimWhitespace } from './text.js';

/** One `function_call` row as the failure and loop detectors see it (spec §8.3, §9.1). */
export interface ToolCall {
  /** Slice-relative row index. */
  index: number;
  /** Tool name for the loop detector (falls back to `name(args)` call syntax for non-JSON values). */
  name: string;
  /** Tool name for the failure detector: from a JSON object only, else `unknown`. */
  jsonName: string;
  /** Arguments as compared for drift: sorted compact JSON of an object, the raw string, or `""`. */
  args: string;
  /** Arguments object with sorted top-level keys, when the arguments were an object. */
  argsDict: JsonNode | undefined;
}

function nameOf(entries: Map<string, JsonNode>): string {
  const name = entries.get('name') ?? entries.get('function');
  return name?.kind === 'string' ? name.value : 'unknown';
}

function sortedObject(node: Extract<JsonNode, { kind: 'object' }>): JsonNode {
  const keys = [...node.entries.keys()].sort(compareCodePoints);
  return { kind: 'object', entries: new Map(keys.map((k) => [k, node.entries.get(k) as JsonNode])) };
}

/** Reads one `function_call` row value. */
export function parseToolCall(value: string, index: number): ToolCall {
  const json = parseJson(value);
  if (json?.kind === 'object') {
    const name = nameOf(json.entries);
    const raw = json.entries.has('arguments') ? json.entries.get('arguments') : json.entries.get('args');
    if (raw === undefined) return { index, name, jsonName: name, args: '', argsDict: undefined };
    if (raw.kind === 'object') {
      const argsDict = sortedObject(raw);
      return { index, name, jsonName: name, args: stringifyJson(argsDict), argsDict };
    }
    const args = raw.kind === 'string' ? raw.value : stringifyJson(raw);
    return { index, name, jsonName: name, args, argsDict: undefined };
  }
  // Not a JSON object: the reference reads call syntax `name(args)`.
  const paren = value.indexOf('(');
  if (paren <= 0) return { index, name: trimWhitespace(value), jsonName: 'unknown', args: '', argsDict: undefined };
  const name = trimWhitespace(value.slice(0, paren));
  const argsPart = value.slice(paren);
  if (argsPart.length < 2 || !argsPart.endsWith(')')) return { index, name, jsonName: 'unknown', args: argsPart, argsDict: undefined };
  const inner = trimWhitespace(argsPart.slice(1, -1));
  const parsed = parseJson(inner);
  if (parsed?.kind === 'object') {
    const argsDict = sortedObject(parsed);
    return { index, name, jsonName: 'unknown', args: stringifyJson(argsDict), argsDict };
  }
  return { index, name, jsonName: 'unknown', args: inner, argsDict: undefined };
}
