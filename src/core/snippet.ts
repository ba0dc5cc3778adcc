import { utf8Length, utf8Width } from './text.js';

/**
 * The text around a regex match, `context` UTF-8 bytes on each side, with `...` where cut (spec §11.3).
 * Offsets are measured in the lowercased text and applied to the original, as the reference does:
 * they differ only when lowercasing changed a char's UTF-8 length.
 */
export function contextSnippet(value: string, lower: string, start: number, end: number, context: number): string {
  const matchStart = utf8Length(lower, start);
  const matchEnd = matchStart + utf8Length(lower.slice(start, end));
  const total = utf8Length(value);
  const from = Math.min(Math.max(matchStart - context, 0), total);
  const to = Math.min(matchEnd + context, total);
  // One walk over the original: `from` moves back to a char start, `to` forward to the next char start.
  let fromIndex = 0;
  let fromByte = 0;
  let toIndex = value.length;
  let toByte = total;
  let bytes = 0;
  let foundFrom = from === 0;
  for (let i = 0; i < value.length; ) {
    const w = utf8Width(value, i);
    if (!foundFrom && bytes + w.bytes > from) {
      fromIndex = i;
      fromByte = bytes;
      foundFrom = true;
    }
    if (bytes >= to) {
      toIndex = i;
      toByte = bytes;
      break;
    }
    bytes += w.bytes;
    i += w.units;
  }
  if (!foundFrom) {
    fromIndex = value.length;
    fromByte = total;
  }
  return (fromByte > 0 ? '...' : '') + value.slice(fromIndex, toIndex) + (toByte < total ? '...' : '');
}
