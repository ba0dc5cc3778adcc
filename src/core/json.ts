/**
 * A strict RFC 8259 JSON reader that keeps what `JSON.parse` loses and the reference relies on for tool
 * calls (spec §9.1, §13.4): the integer/float kind of each number, object key order as written (with
 * duplicate keys: last value at the first position), rejection of unpaired `\u` surrogate escapes,
 * and the nesting limit of 128.
 */

/** A parsed JSON value. */
export type JsonNode =
  | { kind: 'object'; entries: Map<string, JsonNode> }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'string'; value: string }
  | { kind: 'integer'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

const MAX_DEPTH = 128;
const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

class Invalid extends Error {}

class Reader {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(): never {
    throw new Invalid();
  }

  skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      this.pos++;
    }
  }

  value(depth: number): JsonNode {
    this.skipWhitespace();
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth + 1);
    if (c === '[') return this.array(depth + 1);
    if (c === '"') return { kind: 'string', value: this.string() };
    if (c === 't') return this.literal('true', { kind: 'boolean', value: true });
    if (c === 'f') return this.literal('false', { kind: 'boolean', value: false });
    if (c === 'n') return this.literal('null', { kind: 'null' });
    return this.number();
  }

  literal(word: string, node: JsonNode): JsonNode {
    if (!this.text.startsWith(word, this.pos)) this.fail();
    this.pos += word.length;
    return node;
  }

  object(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail();
    this.pos++;
    const entries = new Map<string, JsonNode>();
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'object', entries };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail();
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail();
      this.pos++;
      entries.set(key, this.value(depth));
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === '}') return { kind: 'object', entries };
      if (c !== ',') this.fail();
    }
  }

  array(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail();
    this.pos++;
    const items: JsonNode[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { kind: 'array', items };
    }
    for (;;) {
      items.push(this.value(depth));
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === ']') return { kind: 'array', items };
      if (c !== ',') this.fail();
    }
  }

  string(): string {
    const t = this.text;
    let out = '';
    let start = ++this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail();
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(start, this.pos++);
        return out;
      }
      if (c < 0x20) this.fail();
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += t.slice(start, this.pos);
      const e = t[this.pos + 1];
      this.pos += 2;
      if (e === 'u') {
        const unit = this.hex4();
        if (unit >= 0xdc00 && unit <= 0xdfff) this.fail();
        if (unit >= 0xd800 && unit <= 0xdbff) {
          if (t[this.pos] !== '\\' || t[this.pos + 1] !== 'u') this.fail();
          this.pos += 2;
          const low = this.hex4();
          if (low < 0xdc00 || low > 0xdfff) this.fail();
          out += String.fromCharCode(unit, low);
        } else {
          out += String.fromCharCode(unit);
        }
      } else {
        const simple = ESCAPES[e];
        if (simple === undefined) this.fail();
        out += simple;
      }
      start = this.pos;
    }
  }

  hex4(): number {
    const digits = this.text.slice(this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) this.fail();
    this.pos += 4;
    return parseInt(digits, 16);
  }

  number(): JsonNode {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m) this.fail();
    this.pos += m[0].length;
    if (m[1] === undefined && m[2] === undefined) {
      const value = BigInt(m[0]);
      // Like the reference: -0 is a float, and integers beyond 64 bits become floats.
      if (value >= 0n && value <= U64_MAX && m[0] !== '-0') return { kind: 'integer', value };
      if (value < 0n && value >= I64_MIN) return { kind: 'integer', value };
    }
    const value = Number(m[0]);
    if (!Number.isFinite(value)) this.fail();
    return { kind: 'float', value };
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Parses `text` strictly; undefined when it is not exactly one JSON value (surrounding whitespace allowed). */
export function parseJson(text: string): JsonNode | undefined {
  const reader = new Reader(text);
  try {
    const node = reader.value(0);
    reader.skipWhitespace();
    return reader.pos === text.length ? node : undefined;
  } catch (error) {
    if (error instanceof Invalid) return undefined;
    throw error;
  }
}

/** Shortest round-trip float text in the reference's style: `100.0`, `1.5`, `0.001`, `1e-7`, `1.5e20`. */
export function formatFloat(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const point = Number(exponent) + 1; // the decimal point sits after `point` digits
  const zeros = point - digits.length;
  let body: string;
  if (zeros >= 0 && point <= 16) body = `${digits}${'0'.repeat(zeros)}.0`;
  else if (point > 0 && point <= 16) body = `${digits.slice(0, point)}.${digits.slice(point)}`;
  else if (point > -5 && point <= 0) body = `0.${'0'.repeat(-point)}${digits}`;
  else if (digits.length === 1) body = `${digits}e${point - 1}`;
  else body = `${digits[0]}.${digits.slice(1)}e${point - 1}`;
  return sign + body;
}

/** Compact JSON text of a node, numbers printed as the reference prints them. */
export function stringifyJson(node: JsonNode): string {
  switch (node.kind) {
    case 'object': {
      const parts: string[] = [];
      for (const [key, value] of node.entries) parts.push(`${JSON.stringify(key)}:${stringifyJson(value)}`);
      return `{${parts.join(',')}}`;
    }
    case 'array':
      return `[${node.items.map(stringifyJson).join(',')}]`;
    case 'string':
      return JSON.stringify(node.value);
    case 'integer':
      return node.value.toString();
    case 'float':
      return formatFloat(node.value);
    case 'boolean':
      return node.value ? 'true' : 'false';
    case 'null':
      return 'null';
  }
}

/** Orders strings by code point (UTF-8 byte order), unlike `<` on UTF-16 units. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (astral char) sorts after every BMP char, including U+E000–U+FFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Structural equality: objects as unordered maps, arrays in order, numbers by kind and value. */
export function jsonEqual(a: JsonNode, b: JsonNode): boolean {
  switch (a.kind) {
    case 'object': {
      if (b.kind !== 'object' || a.entries.size !== b.entries.size) return false;
      for (const [key, value] of a.entries) {
        const other = b.entries.get(key);
        if (other === undefined || !jsonEqual(value, other)) return false;
      }
      return true;
    }
    case 'array':
      return b.kind === 'array' && a.items.length === b.items.length && a.items.every((item, i) => jsonEqual(item, b.items[i]));
    case 'null':
      return b.kind === 'null';
    default:
      return b.kind === a.kind && (b as { value: unknown }).value === a.value;
  }
}
