import { describe, expect, it } from 'vitest';
import { attributeMap, fromAnyValue } from './any-value.js';

describe('fromAnyValue', () => {
  it('decodes scalars, arrays and kvlists', () => {
    expect(fromAnyValue({ stringValue: 'a' })).toBe('a');
    expect(fromAnyValue({ intValue: '12' })).toBe(12);
    expect(fromAnyValue({ intValue: '12345678901234567890' })).toBe('12345678901234567890');
    expect(fromAnyValue({ doubleValue: 0.5 })).toBe(0.5);
    expect(fromAnyValue({ boolValue: false })).toBe(false);
    expect(fromAnyValue({ arrayValue: { values: [{ stringValue: 'x' }, { kvlistValue: { values: [{ key: 'k', value: { intValue: 1 } }] } }] } })).toEqual(['x', { k: 1 }]);
    expect(fromAnyValue({})).toBeUndefined();
  });

  it('maps attribute lists, skipping malformed entries', () => {
    expect(attributeMap([{ key: 'a', value: { stringValue: '1' } }, { value: {} }, 'x'], {})).toEqual({ a: '1' });
  });
});
