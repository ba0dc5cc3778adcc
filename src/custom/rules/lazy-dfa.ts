/** One instruction of a safe-regex program (see `safe-regex.ts`). */
export type Inst =
  | { op: 'char'; test: (cp: number) => boolean; cps?: number[] }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'assert'; what: 'start' | 'end' | 'word' | 'nonword' }
  | { op: 'match' };

/** A transition not built yet. */
const UNKNOWN = -1;
/** The transition that reaches an accepting closure: the text has a match ending before this code point. */
const MATCH = -2;

/**
 * Whether a safe-regex program matches somewhere in a text, answered by a lazy DFA: the subset construction of the
 * program's Thompson NFA, one state per set of live threads, built as the text needs it and kept for later texts.
 * A state is the program counters waiting for the next code point (a match may start anywhere, so pc 0 joins each
 * closure) and what the assertions need of the position (whether the last code point was a word character,
 * whether nothing was read yet). A text costs one table lookup per code point once its states exist, against a pass
 * over every live thread per code point for the Pike VM, which finds the match itself (run only on texts that have
 * one). At most `maxStates` states and 25 times as many non-ASCII transitions are kept, in flat tables (no object
 * per state for the collector to trace); past either, the cache starts over (RE2's way), so memory is bounded and
 * a text never costs more than building a state per code point: O(text × program), still linear.
 */
export class LazyDfa {
  /** State id by its kernel and flags. */
  private ids = new Map<string, number>();
  private kernels: Int32Array[] = [];
  /** Per state: bit 0 the last code point was a word character, bit 1 nothing was read yet. */
  private flags = new Uint8Array(16);
  /** Per state: whether the text ending there has a match (-1: not asked yet). */
  private ends = new Int8Array(16).fill(-1);
  /** ASCII transitions, 128 a state: the next state's id, UNKNOWN or MATCH. */
  private ascii = new Int32Array(16 * 128).fill(UNKNOWN);
  /** Other transitions by `state * 0x110000 + code point`. */
  private other = new Map<number, number>();
  /** Starts over when the cache does: a step built across a reset is not stored under a stale id. */
  private epoch = 0;
  // Closure scratch, reused (one search at a time).
  private readonly mark: Int32Array;
  private readonly stack: Int32Array;
  private readonly chars: Int32Array;
  private generation = 0;
  /** How many char instructions the last closure left in `chars`. */
  private charCount = 0;

  constructor(
    private readonly prog: readonly Inst[],
    private readonly isWordPoint: (cp: number) => boolean,
    private readonly maxStates = 1_000,
  ) {
    this.mark = new Int32Array(prog.length).fill(-1);
    // The kernel and pc 0 first, then at most two pushes per newly marked pc.
    this.stack = new Int32Array(3 * prog.length + 2);
    this.chars = new Int32Array(prog.length);
  }

  /** States held now (tests and the worst-case benchmark read it). */
  get size(): number {
    return this.kernels.length;
  }

  /** Whether `search` would find a match in `text`. */
  matches(text: string): boolean {
    let s = this.state(EMPTY, false, true);
    const n = text.length;
    for (let i = 0; i < n; ) {
      const c = text.charCodeAt(i);
      let next: number;
      let cp: number;
      if (c < 128) {
        cp = c;
        next = this.ascii[s * 128 + c];
        i++;
      } else {
        cp = text.codePointAt(i)!;
        next = this.other.get(s * 0x110000 + cp) ?? UNKNOWN;
        i += cp > 0xffff ? 2 : 1;
      }
      if (next === UNKNOWN) next = this.step(s, cp);
      if (next === MATCH) return true;
      s = next;
    }
    let end = this.ends[s];
    if (end < 0) this.ends[s] = end = this.closure(s, false, true, -1) ? 1 : 0;
    return end === 1;
  }

  /** The id of the state of a kernel and its position flags, made if new. */
  private state(kernel: Int32Array, prevWord: boolean, atStart: boolean): number {
    const flags = (prevWord ? 1 : 0) | (atStart ? 2 : 0);
    const key = `${flags}${kernel.join(',')}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      if (this.kernels.length >= this.maxStates) this.reset();
      id = this.kernels.length;
      if (id >= this.flags.length) this.grow();
      this.kernels.push(kernel);
      this.flags[id] = flags;
      this.ids.set(key, id);
    }
    return id;
  }

  private grow(): void {
    const size = Math.min(this.flags.length * 2, Math.max(this.maxStates, 16));
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    const ends = new Int8Array(size).fill(-1);
    ends.set(this.ends);
    const ascii = new Int32Array(size * 128).fill(UNKNOWN);
    ascii.set(this.ascii);
    [this.flags, this.ends, this.ascii] = [flags, ends, ascii];
  }

  private reset(): void {
    this.ascii.fill(UNKNOWN, 0, this.kernels.length * 128);
    this.ends.fill(-1, 0, this.kernels.length);
    this.ids = new Map();
    this.kernels = [];
    this.other = new Map();
    this.epoch++;
  }

  /** The transition of state `s` on `cp`: MATCH when the closure before `cp` accepts, else the state after `cp`. */
  private step(s: number, cp: number): number {
    const nextWord = this.isWordPoint(cp);
    const epoch = this.epoch;
    let out: number;
    if (this.closure(s, nextWord, false, cp)) out = MATCH;
    else {
      const { prog, chars } = this;
      const kernel: number[] = [];
      for (let k = 0; k < this.charCount; k++) {
        const pc = chars[k];
        if ((prog[pc] as { test: (cp: number) => boolean }).test(cp)) kernel.push(pc + 1);
      }
      kernel.sort((a, b) => a - b);
      out = this.state(Int32Array.from(kernel), nextWord, false);
    }
    if (this.epoch !== epoch) return out;
    if (cp < 128) this.ascii[s * 128 + cp] = out;
    else if (this.other.size < 25 * this.maxStates) this.other.set(s * 0x110000 + cp, out);
    return out;
  }

  /**
   * The epsilon closure of state `s`'s kernel and pc 0 at a position whose next code point is `cp` (-1: the end),
   * with its word class `nextWord`: true when it reaches `match`; otherwise the char instructions reached are left in
   * `chars`.
   */
  private closure(s: number, nextWord: boolean, atEnd: boolean, cp: number): boolean {
    const { prog, mark, stack, chars } = this;
    const kernel = this.kernels[s];
    const prevWord = (this.flags[s] & 1) === 1;
    const atStart = (this.flags[s] & 2) === 2;
    if (++this.generation > 0x3fff0000) {
      mark.fill(-1);
      this.generation = 0;
    }
    const generation = this.generation;
    let count = 0;
    let top = 0;
    stack[top++] = 0;
    for (let k = kernel.length - 1; k >= 0; k--) stack[top++] = kernel[k];
    while (top > 0) {
      const p = stack[--top];
      if (mark[p] === generation) continue;
      mark[p] = generation;
      const inst = prog[p];
      if (inst.op === 'match') return true;
      if (inst.op === 'jmp') stack[top++] = inst.x;
      else if (inst.op === 'split') {
        stack[top++] = inst.y;
        stack[top++] = inst.x;
      } else if (inst.op === 'assert') {
        const ok = inst.what === 'start' ? atStart : inst.what === 'end' ? atEnd : inst.what === 'word' ? prevWord !== nextWord : prevWord === nextWord;
        if (ok) stack[top++] = p + 1;
      } else if (cp >= 0) chars[count++] = p;
    }
    this.charCount = count;
    return false;
  }
}

const EMPTY = new Int32Array(0);
