/**
 * Which of a fixed set of ASCII words occur in a text, found in one pass (an Aho–Corasick automaton
 * over a dense 128-symbol transition table). Used to skip regex families none of whose required words
 * occur, which is most of them for most tool results.
 */
export class LiteralScanner {
  private readonly next: Int32Array;
  private readonly outputs: (number[] | undefined)[];

  constructor(private readonly words: readonly string[]) {
    const children: Map<number, number>[] = [new Map()];
    const ends: number[][] = [[]];
    words.forEach((word, id) => {
      let state = 0;
      for (let i = 0; i < word.length; i++) {
        const c = word.charCodeAt(i);
        if (c >= 128) throw new Error(`literal "${word}" is not ASCII`);
        let child = children[state].get(c);
        if (child === undefined) {
          child = children.length;
          children.push(new Map());
          ends.push([]);
          children[state].set(c, child);
        }
        state = child;
      }
      ends[state].push(id);
    });
    const states = children.length;
    this.next = new Int32Array(states * 128);
    const fail = new Int32Array(states);
    const outputs: (number[] | undefined)[] = new Array(states);
    // Breadth-first: a state's failure link and merged outputs depend only on shallower states.
    const queue: number[] = [];
    for (let c = 0; c < 128; c++) {
      const child = children[0].get(c);
      this.next[c] = child ?? 0;
      if (child !== undefined) queue.push(child);
    }
    outputs[0] = ends[0].length ? ends[0] : undefined;
    for (const s of queue) outputs[s] = ends[s].length ? ends[s] : undefined;
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head];
      for (let c = 0; c < 128; c++) {
        const child = children[state].get(c);
        if (child === undefined) {
          this.next[state * 128 + c] = this.next[fail[state] * 128 + c];
          continue;
        }
        this.next[state * 128 + c] = child;
        fail[child] = state === 0 ? 0 : this.next[fail[state] * 128 + c];
        const inherited = outputs[fail[child]];
        const own = ends[child];
        outputs[child] = own.length || inherited ? [...own, ...(inherited ?? [])] : undefined;
        queue.push(child);
      }
    }
    this.outputs = outputs;
  }

  /** `present[i]` is 1 when `words[i]` occurs in `text`. */
  scan(text: string): Uint8Array {
    const present = new Uint8Array(this.words.length);
    const next = this.next;
    const outputs = this.outputs;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      state = c < 128 ? next[state * 128 + c] : 0;
      const found = outputs[state];
      if (found !== undefined) for (const id of found) present[id] = 1;
    }
    return present;
  }
}
