/** Deepest array/object nesting accepted in one JSON document (a real conversation nests a few dozen levels). */
export const MAX_JSON_DEPTH = 1000;

/**
 * The offset of the first `[` or `{` that opens level `maxDepth + 1`, outside strings, or -1 when the text
 * nests no deeper. One linear pass, run before `JSON.parse`, whose cost grows faster than linearly with depth.
 */
export function tooDeepAt(text: string, maxDepth: number = MAX_JSON_DEPTH): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string to its closing quote (found natively): the first one after an even run of backslashes. An
      // unterminated string runs to the end (JSON.parse reports it).
      for (;;) {
        const q = text.indexOf('"', i + 1);
        if (q === -1) return -1;
        let b = q - 1;
        while (text.charCodeAt(b) === 0x5c) b--;
        i = q;
        if ((q - 1 - b) % 2 === 0) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return -1;
}
