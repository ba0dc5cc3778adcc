import { LiteralScanner } from './literal-scanner.js';
import { WHITESPACE_CLASS, isWhitespaceCode } from './text.js';

/** Where a family matched, as UTF-16 offsets into the lowercased text. */
export interface FamilyMatch {
  start: number;
  end: number;
}

const WORD_CLASS = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}';

/**
 * Rewrites one pattern of the reference dialect into an equivalent JavaScript pattern (spec §11.2):
 * Unicode `\s`/`\w`/`\b`, `.` that excludes only `\n`, non-capturing groups.
 * `\s*X?\s*` becomes `\s*(?:X\s*)?`: the same matches, but without the quadratic backtracking that two
 * adjacent `\s*` cause on a long run of whitespace.
 */
export function translatePattern(pattern: string): string {
  // `\bword\b` is written literal-first, so the engine scans for the word instead of testing a
  // lookbehind with Unicode classes at every position.
  const bounded = /^\\b([a-z]+)\\b$/.exec(pattern);
  if (bounded) return `${bounded[1]}(?<![${WORD_CLASS}]${bounded[1]})(?![${WORD_CLASS}])`;
  return pattern
    .replace(/\\s\*(:|,)\?\\s\*/g, '\\s*(?:$1\\s*)?')
    .replace(/\((?!\?)/g, '(?:')
    .replace(/\\s/g, `[${WHITESPACE_CLASS}]`)
    .replace(/\\w/g, `[${WORD_CLASS}]`)
    .replace(/\\b/g, `(?:(?<=[${WORD_CLASS}])(?![${WORD_CLASS}])|(?<![${WORD_CLASS}])(?=[${WORD_CLASS}]))`)
    .replace(/(?<!\\)\./g, '[^\\n]');
}

/**
 * The longest run of plain characters that every match of `pattern` contains, or undefined.
 * Optional pieces (`x?`, `x*`, groups) end a run; `x+` keeps its char but ends the run after it.
 */
export function requiredLiteral(pattern: string): string | undefined {
  const runs: string[] = [];
  let run = '';
  const cut = () => {
    if (run) runs.push(run);
    run = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      cut();
      i++;
    } else if (c === '(') {
      let depth = 1;
      while (depth > 0 && ++i < pattern.length) depth += pattern[i] === '(' ? 1 : pattern[i] === ')' ? -1 : 0;
      cut();
    } else if (c === '?' || c === '*') {
      run = run.slice(0, -1);
      cut();
    } else if (c === '+' || c === '.' || c === '|' || c === '[' || c === '{') {
      if (c === '|' || c === '[' || c === '{') return undefined;
      cut();
    } else {
      run += c;
    }
  }
  cut();
  return runs.sort((a, b) => b.length - a.length)[0];
}

/** Finds the leftmost match of one `A.*B` pattern at or after `from`, in linear time. */
type DotStarScanner = (text: string) => FamilyMatch | undefined;

const LITERAL = /^[a-z0-9 ]+$/;

/**
 * Builds a linear-time scanner for a pattern `A.*B`. A backtracking engine retries `.*` from every
 * occurrence of `A` and costs O(n²) on a long line full of `A`s; these scanners reproduce the exact
 * leftmost-first, greedy match (same start, same end) with one pass.
 */
function dotStarScanner(pattern: string): DotStarScanner {
  const split = pattern.indexOf('.*');
  const left = pattern.slice(0, split);
  const right = pattern.slice(split + 2);
  if (left.endsWith('\\s+') && right.startsWith('\\s+') && LITERAL.test(left.slice(0, -3)) && LITERAL.test(right.slice(3))) {
    return wsBoundedScanner(left.slice(0, -3), right.slice(3));
  }
  if (LITERAL.test(right)) return literalTailScanner(new RegExp(translatePattern(left), 'gu'), right);
  throw new Error(`unsupported pattern shape: ${pattern}`);
}

/**
 * `A.*tail` where A ends in a literal (so its match end is unique): the match at an occurrence of A
 * runs to the last `tail` on the line where A ends. If that line has no `tail` after A, no later A that
 * ends on the same line has one either, so those are skipped without searching again.
 * Linear: the first `tail` at or after a point is remembered (`nextTail`) and only searched again once a
 * head ends past it, so the forward searches together cover the text once; the backward search for the
 * last `tail` on the line runs once, on the line that matches, and stops at `nextTail`.
 */
function literalTailScanner(head: RegExp, tail: string): DotStarScanner {
  return (text) => {
    head.lastIndex = 0;
    let failedLineEnd = -1;
    let nextTail = -1;
    for (let m = head.exec(text); m; m = head.exec(text)) {
      const afterHead = m.index + m[0].length;
      if (afterHead <= failedLineEnd) continue;
      if (nextTail < afterHead) {
        nextTail = text.indexOf(tail, afterHead);
        if (nextTail < 0) return undefined;
      }
      const newline = text.indexOf('\n', afterHead);
      const lineEnd = newline < 0 ? text.length : newline;
      if (nextTail + tail.length <= lineEnd) {
        return { start: m.index, end: text.lastIndexOf(tail, lineEnd - tail.length) + tail.length };
      }
      failedLineEnd = lineEnd;
    }
    return undefined;
  };
}

/**
 * `head\s+.*\s+tail`: the backtracking order is "longest whitespace after head, then the last position
 * `q` on that line where a whitespace run ending right before `tail` starts". `good(q)` (q is whitespace
 * and its run is followed by `tail`) is precomputed with a prefix maximum, so each candidate costs O(1)
 * per whitespace char after `head`.
 */
function wsBoundedScanner(head: string, tail: string): DotStarScanner {
  return (text) => {
    const first = text.indexOf(head);
    if (first < 0 || text.indexOf(tail, first) < 0) return undefined;
    const n = text.length;
    // good(q): q is whitespace and its run is followed by `tail`. lastGood[i]: largest good q <= i, or -1.
    // nextNewline[i]: first '\n' at or after i, or n.
    const lastGood = new Int32Array(n + 1);
    const nextNewline = new Int32Array(n + 1);
    const good = new Uint8Array(n + 1);
    nextNewline[n] = n;
    let runEnd = n;
    for (let i = n - 1; i >= 0; i--) {
      const c = text.charCodeAt(i);
      nextNewline[i] = c === 10 ? i : nextNewline[i + 1];
      if (isWhitespaceCode(c)) {
        if (i + 1 === n || !isWhitespaceCode(text.charCodeAt(i + 1))) runEnd = i + 1;
        good[i] = text.startsWith(tail, runEnd) ? 1 : 0;
      }
    }
    let last = -1;
    for (let i = 0; i <= n; i++) {
      if (good[i]) last = i;
      lastGood[i] = last;
    }
    for (let p = first; p >= 0; p = text.indexOf(head, p + 1)) {
      const e = p + head.length;
      let w = 0;
      while (e + w < n && isWhitespaceCode(text.charCodeAt(e + w))) w++;
      // Greedy order: the longest whitespace after head first, then the last good q on that line.
      for (let k = w; k >= 1; k--) {
        const s = e + k;
        const q = lastGood[nextNewline[s]];
        if (q >= s) {
          let r = q;
          while (r < n && isWhitespaceCode(text.charCodeAt(r))) r++;
          return { start: p, end: r + tail.length };
        }
      }
    }
    return undefined;
  };
}

/** Every required literal of every family, by id; the scanner is rebuilt when a family adds one. */
const literalIds = new Map<string, number>();
let scanner: LiteralScanner | undefined;

function registerLiteral(literal: string): number {
  let id = literalIds.get(literal);
  if (id === undefined) {
    literalIds.set(literal, (id = literalIds.size));
    scanner = undefined;
  }
  return id;
}

/** Which required literals of the families occur in `text`, by literal id; compute once per text, pass to `find`. */
export function findLiterals(text: string): Uint8Array {
  scanner ??= new LiteralScanner([...literalIds.keys()]);
  return scanner.scan(text);
}

/**
 * One family of patterns, searched as the reference does: a single alternation with leftmost-first
 * semantics (the leftmost match wins; at the same position the earlier pattern wins).
 * Run it on `foldCase(lowercased text)`.
 */
export class RegexFamily {
  private readonly combined: RegExp | undefined;
  private readonly combinedIds: number[];
  private readonly dotStar: { id: number; scan: DotStarScanner }[];
  /** Ids of one plain string per pattern that any of its matches contains; undefined when some pattern has none. */
  private readonly literals: number[] | undefined;

  constructor(patterns: readonly string[]) {
    this.combinedIds = [];
    this.dotStar = [];
    const literals = patterns.map(requiredLiteral);
    this.literals = literals.every((l) => l !== undefined) ? [...new Set(literals as string[])].map(registerLiteral) : undefined;
    const alternatives: string[] = [];
    patterns.forEach((pattern, id) => {
      if (pattern.includes('.*')) {
        this.dotStar.push({ id, scan: dotStarScanner(pattern) });
      } else {
        alternatives.push(`(${translatePattern(pattern)})`);
        this.combinedIds.push(id);
      }
    });
    this.combined = alternatives.length ? new RegExp(alternatives.join('|'), 'gu') : undefined;
  }

  /** The leftmost-first match in `text`, or undefined. `present` is `findLiterals(text)`, shared by the families. */
  find(text: string, present: Uint8Array = findLiterals(text)): FamilyMatch | undefined {
    // Most tool results contain none of a family's words: then no pattern can match, and the regex scan is skipped.
    if (this.literals && !this.literals.some((id) => present[id] === 1)) return undefined;
    let best: (FamilyMatch & { id: number }) | undefined;
    if (this.combined) {
      this.combined.lastIndex = 0;
      const m = this.combined.exec(text);
      if (m) {
        let group = 1;
        while (m[group] === undefined) group++;
        best = { start: m.index, end: m.index + m[0].length, id: this.combinedIds[group - 1] };
      }
    }
    for (const { id, scan } of this.dotStar) {
      const m = scan(text);
      if (m && (!best || m.start < best.start || (m.start === best.start && id < best.id))) best = { ...m, id };
    }
    return best && { start: best.start, end: best.end };
  }
}

/**
 * Lowercased text → the text the families run on. The reference matches case-insensitively with simple
 * case folding, under which U+017F (long s) equals `s`; the only other non-ASCII char folding to an ASCII
 * letter, U+212A (Kelvin), is already `k` after lowercasing. Same length, so offsets carry over.
 */
export function foldCase(lower: string): string {
  return lower.includes('\u017F') ? lower.replaceAll('\u017F', 's') : lower;
}
