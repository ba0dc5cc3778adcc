/**
 * `JSON.parse` of a UTF-8 body, in pieces. A large body decoded to one string and parsed in one call costs V8 a
 * large-object allocation for the text (several times the parse itself on an OTLP export of a few MB); decoding and
 * parsing it in pieces of at most {@link PIECE_BYTES} keeps every string in the young generation.
 *
 * Two linear passes. The first finds every array and object (strings skipped whole, a nesting deeper than
 * {@link MAX_JSON_DEPTH} refused). The second builds the value: a container of at most {@link PIECE_BYTES} is one
 * piece; a larger one is built member by member, its small members parsed together in runs of at most that size
 * (`[run]` or `{run}`), cut only at a comma before a member. `JSON.parse` checks every piece, and the bytes between
 * pieces are checked here, so a body is accepted exactly when it is valid JSON and valid UTF-8, and its value equals
 * `JSON.parse` of its text. Anything else (invalid JSON or UTF-8, a byte-order mark, too deep) answers
 * {@link NOT_PARSED}, and the caller parses the text the usual way for its error message.
 */
import { MAX_JSON_DEPTH } from '../records/json-depth.js';

/** Largest piece handed to `JSON.parse` (bytes); its text stays below V8's large-object size even as UTF-16. */
export const PIECE_BYTES = 32 * 1024;

/** The answer of {@link parseJsonBytes} for a body it does not parse. */
export const NOT_PARSED: unique symbol = Symbol('not parsed');

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** Thrown inside the parser for anything it does not accept; never escapes {@link parseJsonBytes}. */
class Declined extends Error {}
const DECLINED = new Declined();

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Every array and object of the body, in document order: where it opens and closes, and the index after its subtree. */
interface Containers {
  open: Int32Array;
  close: Int32Array;
  after: Int32Array;
  count: number;
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * The closing quote of the string opening at `at`, or -1 when it is not closed. A byte loop: strings of escaped JSON
 * (GenAI message attributes) hold a quote every dozen bytes, where a native search per quote costs more.
 */
function stringEnd(bytes: Uint8Array, at: number): number {
  const n = bytes.length;
  for (let i = at + 1; i < n; i++) {
    const c = bytes[i];
    if (c === QUOTE) return i;
    if (c === BACKSLASH) i++;
  }
  return -1;
}

/** The first pass; throws {@link Declined} on unbalanced brackets, an unclosed string or too deep a nesting. */
function containersOf(bytes: Uint8Array): Containers {
  let open = new Int32Array(64);
  let close = new Int32Array(64);
  let after = new Int32Array(64);
  const stack = new Int32Array(MAX_JSON_DEPTH + 1);
  let depth = 0;
  let count = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      i = stringEnd(bytes, i);
      if (i === -1) throw DECLINED;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (depth === MAX_JSON_DEPTH) throw DECLINED;
      if (count === open.length) {
        open = grow(open);
        close = grow(close);
        after = grow(after);
      }
      open[count] = i;
      stack[depth++] = count++;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      if (depth === 0) throw DECLINED;
      const k = stack[--depth];
      // `[` + 2 = `]`, `{` + 2 = `}`.
      if (bytes[open[k]] + 2 !== c) throw DECLINED;
      close[k] = i;
      after[k] = count;
    }
  }
  if (depth !== 0) throw DECLINED;
  return { open, close, after, count };
}

/** The second pass over one body. */
class Builder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(
    private readonly bytes: Uint8Array,
    private readonly c: Containers,
    private readonly pieceBytes: number,
  ) {}

  private text(from: number, to: number): string {
    try {
      return this.decoder.decode(this.bytes.subarray(from, to));
    } catch {
      throw DECLINED;
    }
  }

  private parse(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw DECLINED;
    }
  }

  private skipSpace(at: number, to: number): number {
    while (at < to && isSpace(this.bytes[at])) at++;
    return at;
  }

  private spaceBack(at: number, from: number): number {
    while (at >= from && isSpace(this.bytes[at])) at--;
    return at;
  }

  /** The whole body: one value between optional whitespace. */
  document(): unknown {
    const n = this.bytes.length;
    const start = this.skipSpace(0, n);
    if (start === n) throw DECLINED;
    if (this.c.count > 0 && this.c.open[0] === start && this.c.close[0] + 1 - start > this.pieceBytes) {
      if (this.skipSpace(this.c.close[0] + 1, n) !== n) throw DECLINED;
      return this.container(0);
    }
    return this.parse(this.text(0, n));
  }

  /**
   * Where the member holding container `k` starts inside a container whose members start at `from`: the container
   * itself in an array, its key in an object; and the comma before that member (-1: it is the first pending one).
   */
  private memberStart(k: number, inObject: boolean, from: number): { start: number; keyEnd: number; comma: number } {
    let start = this.c.open[k];
    let keyEnd = -1;
    if (inObject) {
      let at = this.spaceBack(start - 1, from);
      if (at < from || this.bytes[at] !== COLON) throw DECLINED;
      at = this.spaceBack(at - 1, from);
      if (at < from || this.bytes[at] !== QUOTE) throw DECLINED;
      keyEnd = at;
      // Back to the key's opening quote: the first quote not escaped by an odd run of backslashes.
      for (;;) {
        at = this.bytes.lastIndexOf(QUOTE, at - 1);
        if (at < from) throw DECLINED;
        let b = at - 1;
        while (b >= from && this.bytes[b] === BACKSLASH) b--;
        if ((at - 1 - b) % 2 === 0) break;
      }
      start = at;
    }
    const before = this.spaceBack(start - 1, from);
    if (before < from) return { start, keyEnd, comma: -1 };
    if (this.bytes[before] !== COMMA) throw DECLINED;
    return { start, keyEnd, comma: before };
  }

  /**
   * Parses the members in `[from, to)` (a run of whole members, maybe with whitespace; at least one) into `out`, and
   * answers `out`, or the run itself when `out` has no member yet (`empty`: a long run is not copied item by item).
   */
  private run<T extends unknown[] | Record<string, unknown>>(out: T, empty: boolean, from: number, to: number): T {
    const inObject = !Array.isArray(out);
    const text = this.text(from, to);
    const part = this.parse(inObject ? `{${text}}` : `[${text}]`) as T;
    if (Array.isArray(part)) {
      if (part.length === 0) throw DECLINED;
      if (empty) return part;
      for (let i = 0; i < part.length; i += 8192) (out as unknown[]).push(...part.slice(i, i + 8192));
      return out;
    }
    const keys = Object.keys(part);
    if (keys.length === 0) throw DECLINED;
    if (empty) return part;
    for (const key of keys) setMember(out as Record<string, unknown>, key, (part as Record<string, unknown>)[key]);
    return out;
  }

  /** Container `k`, larger than a piece: its large members built one by one, the rest parsed in runs. */
  private container(k: number): unknown {
    const { open, close, after } = this.c;
    const inObject = this.bytes[open[k]] === OPEN_OBJECT;
    let out: unknown[] | Record<string, unknown> = inObject ? {} : [];
    let empty = true;
    const end = close[k];
    // `from`: where the members not yet built start (just after the opening bracket or a comma).
    let from = open[k] + 1;
    let child = k + 1;
    while (child < after[k]) {
      const size = close[child] + 1 - open[child];
      const large = size > this.pieceBytes;
      if (large || close[child] + 1 - from > this.pieceBytes) {
        const { start, keyEnd, comma } = this.memberStart(child, inObject, from);
        if (comma !== -1) {
          out = this.run(out, empty, from, comma);
          empty = false;
          from = comma + 1;
        }
        if (large) {
          const keyText = inObject ? this.key(start, keyEnd) : undefined;
          const value = this.container(child);
          if (keyText === undefined) (out as unknown[]).push(value);
          else setMember(out as Record<string, unknown>, keyText, value);
          empty = false;
          const next = this.skipSpace(close[child] + 1, end);
          if (next === end) {
            if (this.bytes[next] !== this.bytes[open[k]] + 2) throw DECLINED;
            return out;
          }
          if (this.bytes[next] !== COMMA) throw DECLINED;
          from = next + 1;
        }
      }
      child = after[child];
    }
    // The members after the last large one; an empty rest is fine only for a container with no member at all.
    if (this.skipSpace(from, end) === end) {
      if (from !== open[k] + 1) throw DECLINED;
      return out;
    }
    return this.run(out, empty, from, end);
  }

  /** The key string from its opening quote `at` to its closing quote `end` (declined unless that is where it ends). */
  private key(at: number, end: number): string {
    if (stringEnd(this.bytes, at) !== end) throw DECLINED;
    const key = this.parse(this.text(at, end + 1));
    if (typeof key !== 'string') throw DECLINED;
    return key;
  }
}

/** Sets a member as `JSON.parse` does: an own data property, even for `__proto__`. */
function setMember(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}

/**
 * The value of a UTF-8 JSON body, equal to `JSON.parse` of its text; {@link NOT_PARSED} for a body that is not valid
 * JSON in valid UTF-8, starts with a byte-order mark or nests deeper than {@link MAX_JSON_DEPTH}. `pieceBytes` is
 * for tests (small pieces exercise the member-by-member path on small documents).
 */
export function parseJsonBytes(bytes: Uint8Array, pieceBytes: number = PIECE_BYTES): unknown {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return NOT_PARSED;
  try {
    return new Builder(bytes, containersOf(bytes), pieceBytes).document();
  } catch (err) {
    if (err instanceof Declined) return NOT_PARSED;
    throw err;
  }
}
