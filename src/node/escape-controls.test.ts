import { describe, expect, it } from 'vitest';
import { escapeControls } from './escape-controls.js';

describe('escapeControls', () => {
  it('makes escape sequences, newlines, DEL and C1 visible and leaves other text alone', () => {
    expect(escapeControls('id \x1b[2J\x1b[H clear')).toBe('id \\x1b[2J\\x1b[H clear');
    expect(escapeControls('a\nb\tc\rd\x7f\x9b\u2028')).toBe('a\\x0ab\\x09c\\x0dd\\x7f\\x9b\\u2028');
    expect(escapeControls('café 🚲 “quotes” \\x41')).toBe('café 🚲 “quotes” \\x41');
  });
});
