import { isJsonObject, type JsonObject } from '../json-value.js';

/**
 * An OTLP/JSON `AnyValue` → a plain JSON value: scalars as they are (`intValue`, a decimal string in proto3
 * JSON, becomes a number when it is a safe integer), `arrayValue` → array, `kvlistValue` → object, `bytesValue`
 * stays its base64 text. Anything else is undefined.
 */
export function fromAnyValue(value: unknown): unknown {
  if (!isJsonObject(value)) return undefined;
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) {
    const n = Number(value.intValue);
    return Number.isSafeInteger(n) ? n : String(value.intValue);
  }
  if ('doubleValue' in value) return value.doubleValue;
  if ('arrayValue' in value) {
    const values = isJsonObject(value.arrayValue) && Array.isArray(value.arrayValue.values) ? value.arrayValue.values : [];
    return values.map(fromAnyValue);
  }
  if ('kvlistValue' in value) {
    const values = isJsonObject(value.kvlistValue) && Array.isArray(value.kvlistValue.values) ? value.kvlistValue.values : [];
    return attributeMap(values, {});
  }
  if ('bytesValue' in value) return value.bytesValue;
  return undefined;
}

/** OTLP `[{key, value: AnyValue}]` → `{key: plain value}`, later keys winning, into `into`. */
export function attributeMap(list: unknown, into: JsonObject): JsonObject {
  if (!Array.isArray(list)) return into;
  for (const entry of list) {
    if (isJsonObject(entry) && typeof entry.key === 'string') into[entry.key] = fromAnyValue(entry.value);
  }
  return into;
}
