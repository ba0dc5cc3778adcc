import type { JsonObject } from '../json-value.js';

/**
 * Flattened indexed attributes (`<prefix>.<N>.<rest>`, as OpenLLMetry and OpenInference write message lists) →
 * one object per index, keyed by `<rest>`, in index order. Indices need not be contiguous.
 */
export function indexedGroups(attributes: JsonObject, prefix: string): JsonObject[] {
  const groups = new Map<number, JsonObject>();
  const start = `${prefix}.`;
  for (const key of Object.keys(attributes)) {
    if (!key.startsWith(start)) continue;
    const dot = key.indexOf('.', start.length);
    const indexText = dot === -1 ? '' : key.slice(start.length, dot);
    if (!/^[0-9]+$/.test(indexText)) continue;
    const index = Number(indexText);
    const group = groups.get(index) ?? {};
    group[key.slice(dot + 1)] = attributes[key];
    groups.set(index, group);
  }
  return [...groups].sort(([a], [b]) => a - b).map(([, group]) => group);
}

/** True when some attribute key starts with `<prefix>.`. */
export function hasPrefix(attributes: JsonObject, prefix: string): boolean {
  const start = `${prefix}.`;
  return Object.keys(attributes).some((key) => key.startsWith(start));
}
