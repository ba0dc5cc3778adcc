import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES, isFormatName } from './format-names.js';

describe('isFormatName', () => {
  it('accepts exactly the listed names', () => {
    expect(FORMAT_NAMES.every(isFormatName)).toBe(true);
    expect(isFormatName('jsonl')).toBe(false);
    expect(isFormatName('OpenAI')).toBe(false);
  });
});
