import { LazyDfa, type Inst } from './lazy-dfa.js';

/**
 * The rules judge's regular expressions: a subset of JavaScript syntax compiled to a Thompson NFA and run by a
 * Pike VM, so a search costs O(text length × pattern size) whatever the pattern (no backtracking, no
 * catastrophic cases); a lazy DFA of the same automaton (`lazy-dfa.ts`) first tells whether the text has a match. What an automaton cannot do is rejected with a clear error: backreferences and
 * lookaround. Bounded repeats are expanded, so the compiled size is capped.
 */

/** A pattern outside the safe subset, with the offending position. */
export class PatternError extends Error {
  constructor(
    readonly pattern: string,
    readonly position: number,
    reason: string,
  ) {
    super(`pattern /${pattern}/ at ${position}: ${reason}`);
    this.name = 'PatternError';
  }
}

/** Largest compiled program (instructions); `{m,n}` repeats copy their body, so this bounds `n`. */
export const MAX_PROGRAM_SIZE = 20_000;

type CharTest = (cp: number) => boolean;
type Node =
  /** `cps`: the code points a literal matches (so the start filter can use a set). */
  | { kind: 'char'; test: CharTest; cps?: number[] }
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; options: Node[] }
  | { kind: 'repeat'; body: Node; min: number; max: number }
  | { kind: 'assert'; what: 'start' | 'end' | 'word' | 'nonword' };


const LOOKAROUND = /^\(\?(=|!|<=|<!)/;
const WORD = /^[\p{L}\p{N}_]$/u;

/**
 * A character test remembering its answers: ASCII in a table, other code points in a map (a text has few
 * distinct ones), so the search loop does not build a string and run a RegExp per character.
 */
function memoized(test: CharTest): CharTest {
  const ascii = new Int8Array(128).fill(-1);
  const other = new Map<number, boolean>();
  return (cp) => {
    if (cp < 128) {
      let v = ascii[cp];
      if (v < 0) ascii[cp] = v = test(cp) ? 1 : 0;
      return v === 1;
    }
    let v = other.get(cp);
    if (v === undefined) other.set(cp, (v = test(cp)));
    return v;
  };
}

/** Compiles one character test from JS class/escape syntax (a single-character regex is constant-time). */
function charRegex(source: string, ignoreCase: boolean): CharTest {
  const re = new RegExp(`^(?:${source})$`, ignoreCase ? 'iu' : 'u');
  return memoized((cp) => re.test(String.fromCodePoint(cp)));
}

function literalPoints(cp: number, ignoreCase: boolean): number[] {
  if (!ignoreCase) return [cp];
  const ch = String.fromCodePoint(cp);
  return [...new Set([cp, ch.toLowerCase().codePointAt(0)!, ch.toUpperCase().codePointAt(0)!])];
}

const INLINE_IGNORE_CASE = '(?i)';

class Parser {
  private i: number;
  constructor(
    private readonly src: string,
    private readonly ignoreCase: boolean,
    start = 0,
  ) {
    this.i = start;
  }

  private fail(reason: string, at = this.i): never {
    throw new PatternError(this.src, at, reason);
  }

  parse(): Node {
    const node = this.alt();
    if (this.i < this.src.length) this.fail(this.src[this.i] === ')' ? 'unmatched ")"' : `unexpected "${this.src[this.i]}"`);
    return node;
  }

  private alt(): Node {
    const options = [this.seq()];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.seq());
    }
    return options.length === 1 ? options[0] : { kind: 'alt', options };
  }

  private seq(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const start = this.i;
      const atom = this.atom();
      const quantified = this.quantifier(atom, start);
      items.push(quantified);
    }
    return { kind: 'seq', items };
  }

  private quantifier(atom: Node, start: number): Node {
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i))) {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i))!;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) this.fail(`repeat {${m[1]},${m[3]}} has its bounds in the wrong order`);
      this.i += m[0].length - 1;
    } else return atom;
    if (atom.kind === 'assert') this.fail('nothing to repeat (a quantifier after an anchor)', start);
    this.i++;
    // A lazy suffix changes which match is reported, not whether one exists: accepted and ignored.
    if (this.src[this.i] === '?') this.i++;
    if ('*+?{'.includes(this.src[this.i] ?? '') && /^[*+?]|^\{\d/.test(this.src.slice(this.i))) {
      this.fail('a quantifier cannot follow a quantifier (possessive quantifiers are not JavaScript syntax)');
    }
    return { kind: 'repeat', body: atom, min, max };
  }

  private atom(): Node {
    const src = this.src;
    const c = src[this.i];
    if (c === '(') {
      const rest = src.slice(this.i);
      const look = LOOKAROUND.exec(rest);
      if (look) this.fail(`lookaround (?${look[1]}...) cannot run in linear time and is not supported; test the other part with a separate condition and combine with all/not`);
      if (rest.startsWith('(?:')) this.i += 3;
      else if (/^\(\?<[A-Za-z_$][\w$]*>/.test(rest)) this.i = src.indexOf('>', this.i) + 1;
      else if (rest.startsWith('(?')) this.fail('unsupported group syntax "(?"');
      else this.i++;
      const inner = this.alt();
      if (src[this.i] !== ')') this.fail('missing ")"');
      this.i++;
      return inner;
    }
    if (c === '[') return this.charClass();
    if (c === '\\') return this.escape();
    if (c === '.') {
      this.i++;
      return { kind: 'char', test: (cp) => cp !== 10 && cp !== 13 && cp !== 0x2028 && cp !== 0x2029 };
    }
    if (c === '^' || c === '$') {
      this.i++;
      return { kind: 'assert', what: c === '^' ? 'start' : 'end' };
    }
    if (c === '*' || c === '+' || c === '?') this.fail(`nothing to repeat before "${c}"`);
    if (c === '{' && /^\{\d+(,\d*)?\}/.test(src.slice(this.i))) this.fail('nothing to repeat before "{"');
    const cp = src.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    const cps = literalPoints(cp, this.ignoreCase);
    return { kind: 'char', test: (c) => cps.includes(c), cps };
  }

  private escape(): Node {
    const src = this.src;
    const next = src[this.i + 1];
    if (next === undefined) this.fail('pattern ends with "\\"');
    if (/[1-9]/.test(next) || (next === 'k' && src[this.i + 2] === '<')) {
      this.fail(`backreference \\${next === 'k' ? 'k<...>' : next} cannot run in linear time and is not supported`);
    }
    if (next === 'b' || next === 'B') {
      this.i += 2;
      return { kind: 'assert', what: next === 'b' ? 'word' : 'nonword' };
    }
    const m = /^\\(?:[dDwWsS]|[pP]\{[^}]*\}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|c[A-Za-z]|[nrtvf0]|[^A-Za-z0-9])/.exec(src.slice(this.i));
    if (!m) this.fail(`unknown escape "\\${next}"`);
    this.i += m[0].length;
    return { kind: 'char', test: this.validCharRegex(m[0]) };
  }

  private charClass(): Node {
    const src = this.src;
    const start = this.i;
    let j = this.i + 1;
    if (src[j] === '^') j++;
    if (src[j] === ']') j++;
    for (; j < src.length && src[j] !== ']'; j++) {
      if (src[j] === '\\') j++;
      else if (src[j] === '[') this.fail('nested "[" in a class is not supported (escape it as "\\[")', j);
    }
    if (j >= src.length) this.fail('missing "]"', start);
    this.i = j + 1;
    return { kind: 'char', test: this.validCharRegex(src.slice(start, j + 1), start) };
  }

  private validCharRegex(source: string, at = this.i): CharTest {
    try {
      return charRegex(source, this.ignoreCase);
    } catch (e) {
      this.fail(`invalid "${source}": ${(e as Error).message}`, at);
    }
  }
}

class Compiler {
  readonly prog: Inst[] = [];
  constructor(private readonly pattern: string) {}

  private emit(inst: Inst): number {
    if (this.prog.length >= MAX_PROGRAM_SIZE) {
      throw new PatternError(this.pattern, 0, `too large once its repeats are expanded (over ${MAX_PROGRAM_SIZE} steps); use smaller {m,n} bounds`);
    }
    this.prog.push(inst);
    return this.prog.length - 1;
  }

  compile(node: Node): void {
    switch (node.kind) {
      case 'char':
        this.emit({ op: 'char', test: node.test, cps: node.cps });
        return;
      case 'assert':
        this.emit({ op: 'assert', what: node.what });
        return;
      case 'seq':
        for (const item of node.items) this.compile(item);
        return;
      case 'alt': {
        const jumps: number[] = [];
        node.options.forEach((option, k) => {
          if (k < node.options.length - 1) {
            const split = this.emit({ op: 'split', x: 0, y: 0 });
            (this.prog[split] as { x: number }).x = this.prog.length;
            this.compile(option);
            jumps.push(this.emit({ op: 'jmp', x: 0 }));
            (this.prog[split] as { y: number }).y = this.prog.length;
          } else this.compile(option);
        });
        for (const j of jumps) (this.prog[j] as { x: number }).x = this.prog.length;
        return;
      }
      case 'repeat': {
        for (let k = 0; k < node.min; k++) this.compile(node.body);
        if (node.max === Infinity) {
          const split = this.emit({ op: 'split', x: 0, y: 0 });
          (this.prog[split] as { x: number }).x = this.prog.length;
          this.compile(node.body);
          this.emit({ op: 'jmp', x: split });
          (this.prog[split] as { y: number }).y = this.prog.length;
          return;
        }
        const splits: number[] = [];
        for (let k = node.min; k < node.max; k++) {
          const split = this.emit({ op: 'split', x: 0, y: 0 });
          (this.prog[split] as { x: number }).x = this.prog.length;
          splits.push(split);
          this.compile(node.body);
        }
        for (const s of splits) (this.prog[s] as { y: number }).y = this.prog.length;
        return;
      }
    }
  }
}

/** Where a pattern matched first. */
export interface PatternMatch {
  index: number;
  text: string;
}

/** A compiled pattern: `search` finds the first match (earliest end) in linear time. */
export interface SafePattern {
  readonly source: string;
  search(text: string): PatternMatch | null;
  /** States its lazy DFA holds now (bounded by `dfaStates`). */
  readonly dfaStates: number;
}

/**
 * Compiles a pattern of the safe subset; throws `PatternError` on anything else. `dfaStates` bounds the states its
 * lazy DFA keeps (default 1,000; tests lower it to exercise the cache starting over); 0 runs the Pike VM alone.
 */
export function compilePattern(source: string, options: { caseSensitive?: boolean; dfaStates?: number } = {}): SafePattern {
  // A leading `(?i)` (the inline flag of PCRE, RE2 and Python that users paste in) makes the pattern case-insensitive.
  const inlineIgnoreCase = source.startsWith(INLINE_IGNORE_CASE);
  const ast = new Parser(source, inlineIgnoreCase || !options.caseSensitive, inlineIgnoreCase ? INLINE_IGNORE_CASE.length : 0).parse();
  const compiler = new Compiler(source);
  compiler.compile(ast);
  compiler.prog.push({ op: 'match' });
  const prog = compiler.prog;
  const canStart = startFilter(prog);
  const vm = newVm(prog.length);
  // A pattern that begins with `\b` (most word lists) can only start a match at a word boundary.
  const atBoundary = prog[0].op === 'assert' && prog[0].what === 'word';
  // Most texts have no match: the lazy DFA says so at a table lookup per code point; the Pike VM finds the match
  // (its start and text) in the others.
  const dfa = options.dfaStates === 0 ? null : new LazyDfa(prog, isWordPoint, options.dfaStates);
  return {
    source,
    search: (text) => (dfa === null || dfa.matches(text) ? run(prog, text, canStart, atBoundary, vm) : null),
    get dfaStates() {
      return dfa?.size ?? 0;
    },
  };
}

/**
 * Which code points can begin a match: the char tests reachable from the start without consuming input
 * (assertions assumed to pass). Literals go in a set, other tests are kept as predicates. A new thread is
 * started only where the current code point passes, which skips most positions of a text for word lists.
 * Null when the pattern can match the empty string (every position can start a match).
 */
function startFilter(prog: Inst[]): ((cp: number) => boolean) | null {
  const literals = new Set<number>();
  const tests: CharTest[] = [];
  const seen = new Set<number>();
  const stack = [0];
  while (stack.length) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    const inst = prog[p];
    if (inst.op === 'match') return null;
    if (inst.op === 'jmp') stack.push(inst.x);
    else if (inst.op === 'split') stack.push(inst.x, inst.y);
    else if (inst.op === 'assert') stack.push(p + 1);
    else if (inst.cps) for (const cp of inst.cps) literals.add(cp);
    else tests.push(inst.test);
  }
  return memoized((cp) => literals.has(cp) || tests.some((t) => t(cp)));
}

const isWordPoint = memoized((cp) => WORD.test(String.fromCodePoint(cp)));

function isWordAt(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  return isWordPoint(text.codePointAt(index)!);
}

/** The Pike VM's buffers, allocated once per pattern and reused by every search (searches never overlap). */
interface Vm {
  current: Int32Array;
  currentStart: Int32Array;
  next: Int32Array;
  nextStart: Int32Array;
  mark: Int32Array;
  stack: Int32Array;
  generation: number;
}

function newVm(size: number): Vm {
  const list = () => new Int32Array(size);
  // Each closure step pushes at most two pcs per newly marked pc.
  return { current: list(), currentStart: list(), next: list(), nextStart: list(), mark: list().fill(-1), stack: new Int32Array(2 * size + 2), generation: 0 };
}

/**
 * Pike VM: the set of live threads advances one code point at a time; each pc holds at most one thread. While
 * no thread is live, positions whose code point cannot start a match are skipped without touching the VM.
 * The thread lists are allocated once per search and reused (swapped) at every step.
 */
function run(prog: Inst[], text: string, canStart: ((cp: number) => boolean) | null, atBoundary: boolean, vm: Vm): PatternMatch | null {
  let { current, currentStart, next, nextStart } = vm;
  const { mark, stack } = vm;
  let currentLen = 0;
  let nextLen = 0;
  // Generations carry on from the previous search, so `mark` needs no reset; it is cleared once before they wrap.
  if (vm.generation > 0x3fff0000) {
    mark.fill(-1);
    vm.generation = 0;
  }
  let generation = vm.generation;

  /** Adds `pc`'s epsilon closure to `next` (`toNext`) or `current`; iterative (patterns can be long). */
  const add = (toNext: boolean, pc: number, start: number, at: number, prevWord: boolean, nextWord: boolean): void => {
    let top = 0;
    stack[top++] = pc;
    while (top > 0) {
      const p = stack[--top];
      if (mark[p] === generation) continue;
      mark[p] = generation;
      const inst = prog[p];
      if (inst.op === 'jmp') stack[top++] = inst.x;
      else if (inst.op === 'split') {
        stack[top++] = inst.y;
        stack[top++] = inst.x;
      } else if (inst.op === 'assert') {
        const ok =
          inst.what === 'start' ? at === 0 : inst.what === 'end' ? at === text.length : inst.what === 'word' ? prevWord !== nextWord : prevWord === nextWord;
        if (ok) stack[top++] = p + 1;
      } else if (toNext) {
        next[nextLen] = p;
        nextStart[nextLen++] = start;
      } else {
        current[currentLen] = p;
        currentStart[currentLen++] = start;
      }
    }
  };

  const end = (result: PatternMatch | null): PatternMatch | null => {
    vm.generation = generation + 1;
    return result;
  };

  let i = 0;
  let prevWord = false;
  for (;;) {
    if (currentLen === 0 && canStart !== null) {
      // Nothing live: jump to the next position where a match can begin (or give up at the end).
      let cp = i < text.length ? text.codePointAt(i)! : -1;
      let moved = false;
      let before = prevWord;
      while (cp >= 0 && !(canStart(cp) && (!atBoundary || before !== isWordPoint(cp)))) {
        before = isWordPoint(cp);
        i += cp > 0xffff ? 2 : 1;
        moved = true;
        cp = i < text.length ? text.codePointAt(i)! : -1;
      }
      if (cp < 0) return end(null);
      if (moved) prevWord = before;
    }
    const cp = i < text.length ? text.codePointAt(i)! : -1;
    const width = cp > 0xffff ? 2 : 1;
    const nextWord = cp >= 0 && isWordPoint(cp);
    generation++;
    // Threads carried over already had their closure taken; only the thread starting here joins, last
    // (lowest priority), so earlier starts win.
    let kept = 0;
    for (let k = 0; k < currentLen; k++) {
      const pc = current[k];
      if (mark[pc] === generation) continue;
      mark[pc] = generation;
      current[kept] = pc;
      currentStart[kept++] = currentStart[k];
    }
    currentLen = kept;
    if (canStart === null || (cp >= 0 && canStart(cp))) add(false, 0, i, i, prevWord, nextWord);
    for (let k = 0; k < currentLen; k++) {
      if (prog[current[k]].op === 'match') return end({ index: currentStart[k], text: text.slice(currentStart[k], i) });
    }
    if (cp < 0) return end(null);
    generation++;
    nextLen = 0;
    const at = i + width;
    const followingWord = at < text.length && isWordAt(text, at);
    for (let k = 0; k < currentLen; k++) {
      const inst = prog[current[k]];
      if (inst.op === 'char' && inst.test(cp)) add(true, current[k] + 1, currentStart[k], at, nextWord, followingWord);
    }
    [current, next] = [next, current];
    [currentStart, nextStart] = [nextStart, currentStart];
    currentLen = nextLen;
    prevWord = nextWord;
    i = at;
  }
}
