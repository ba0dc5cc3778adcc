import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NOT_PARSED, parseJsonBytes } from './json-bytes.js';

const encoder = new TextEncoder();
const bytesOf = (text: string) => encoder.encode(text);

/** What `JSON.parse` makes of the bytes as strict UTF-8 text (the byte-order mark kept), or NOT_PARSED when it throws. */
function reference(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes));
  } catch {
    return NOT_PARSED;
  }
}

/** Same value, same key order, same own `__proto__` members. */
function expectSame(actual: unknown, expected: unknown): void {
  if (expected === NOT_PARSED) {
    expect(actual).toBe(NOT_PARSED);
    return;
  }
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
  expect(actual).toStrictEqual(expected);
}

const key = fc.oneof(fc.string({ maxLength: 4, unit: fc.constantFrom('a', 'b', '"', '\\', '{', '[', ':', ',', 'é', '1') }), fc.constantFrom('__proto__', '0', '10', 'a'));
const leaf = fc.oneof(
  fc.string({ maxLength: 12, unit: fc.constantFrom('x', '"', '\\', '[', ']', '{', '}', ',', ':', ' ', 'ü', '😀', '\n') }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('value'), { maxLength: 5 }), fc.array(fc.tuple(key, tie('value')), { maxLength: 5 })),
})).value;
const space = fc.constantFrom('', '', ' ', '\n', '\t ', '\r\n  ');

/** JSON text of a generated value with random whitespace; tuple lists are objects written with repeated keys kept. */
function write(v: unknown, ws: () => string): string {
  if (Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string') && v.length > 0 && Math.random() < 0.7) {
    return `{${ws()}${v.map(([k, x]) => `${JSON.stringify(k)}${ws()}:${ws()}${write(x, ws)}`).join(`${ws()},${ws()}`)}${ws()}}`;
  }
  if (Array.isArray(v)) return `[${ws()}${v.map((x) => write(x, ws)).join(`${ws()},${ws()}`)}${ws()}]`;
  return JSON.stringify(v);
}

const document = fc.tuple(value, fc.array(space, { minLength: 64, maxLength: 64 })).map(([v, spaces]) => {
  let i = 0;
  return `${spaces[63]}${write(v, () => spaces[i++ % 63])}${spaces[62]}`;
});

describe('parseJsonBytes', () => {
  it('equals JSON.parse on valid JSON, pieces of every size', () => {
    fc.assert(
      fc.property(document, fc.integer({ min: 1, max: 64 }), (text, piece) => {
        const bytes = bytesOf(text);
        expectSame(parseJsonBytes(bytes, piece), JSON.parse(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts exactly what JSON.parse accepts: damaged documents are NOT_PARSED or equal', () => {
    const damaged = fc.tuple(document, fc.array(fc.tuple(fc.nat(), fc.nat(5), fc.constantFrom(',', ':', '"', '\\', '[', ']', '{', '}', ' ', 'x', '1', '\u00ff', '')), { minLength: 1, maxLength: 3 }));
    fc.assert(
      fc.property(damaged, fc.integer({ min: 1, max: 48 }), ([text, edits], piece) => {
        let t = text;
        for (const [at, cut, insert] of edits) {
          // Mostly at a structural character (where the pieces are cut), sometimes anywhere.
          const marks = [...t.matchAll(/[,:[\]{}"]/g)].map((m) => m.index);
          const p = at % 3 !== 0 && marks.length > 0 ? marks[at % marks.length] : at % (t.length + 1);
          t = t.slice(0, p) + insert + t.slice(p + (at % 3 !== 0 ? cut % 2 : cut));
        }
        const bytes = bytesOf(t);
        expectSame(parseJsonBytes(bytes, piece), reference(bytes));
      }),
      { numRuns: 6000 },
    );
  });

  it('declines invalid UTF-8, a byte-order mark and nesting deeper than 1,000 levels', () => {
    const invalid = new Uint8Array([...bytesOf('{"a":"'), 0xc3, 0x28, ...bytesOf('"}')]);
    expect(parseJsonBytes(invalid, 4)).toBe(NOT_PARSED);
    expect(parseJsonBytes(invalid)).toBe(NOT_PARSED);
    expect(parseJsonBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...bytesOf('{}')]))).toBe(NOT_PARSED);
    expect(parseJsonBytes(bytesOf(`${'['.repeat(1001)}${']'.repeat(1001)}`))).toBe(NOT_PARSED);
    expect(parseJsonBytes(bytesOf(`${'['.repeat(1000)}${']'.repeat(1000)}`), 16)).toStrictEqual(JSON.parse(`${'['.repeat(1000)}${']'.repeat(1000)}`));
  });

  it('keeps __proto__ an own member, as JSON.parse does', () => {
    const text = `{"__proto__": {"polluted": 1}, "big": "${'x'.repeat(100)}", "__proto__": [1]}`;
    const parsed = parseJsonBytes(bytesOf(text), 8) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
    expectSame(parsed, JSON.parse(text));
  });

  it('parses a large export in pieces equal to the whole', () => {
    const span = (i: number) => ({ traceId: 'ab'.repeat(16), spanId: i.toString(16).padStart(16, '0'), name: 'chat ü', attributes: [{ key: 'gen_ai.input.messages', value: { stringValue: JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `question ${i} "quoted" \\ ${'y'.repeat(3000)}` }] }]) } }] });
    const text = JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 's' }, spans: Array.from({ length: 120 }, (_, i) => span(i)) }] }] });
    expect(text.length).toBeGreaterThan(300_000);
    expectSame(parseJsonBytes(bytesOf(text)), JSON.parse(text));
  });
});
