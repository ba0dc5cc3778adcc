import { foldPunctuation, tokenize, messageTrigrams, type NormalizedMessage } from './normalize.js';
import { splitWhitespace, WHITESPACE_CLASS } from './text.js';
import { trigramSet } from './trigrams.js';
import * as P from './phrases.js';

/** The phrase lists, in the order their ids are laid out. */
export const PHRASE_LISTS = {
  correction: P.CORRECTION,
  rephrase: P.REPHRASE,
  clarification: P.CLARIFICATION,
  escalation: P.ESCALATION,
  quit: P.QUIT,
  profanity: P.PROFANITY,
  complaint: P.COMPLAINT,
  gratitude: P.GRATITUDE,
  confirmation: P.CONFIRMATION,
  success: P.SUCCESS,
} as const;

/** Name of one phrase list. */
export type PhraseListName = keyof typeof PHRASE_LISTS;

const LIST_NAMES = Object.keys(PHRASE_LISTS) as PhraseListName[];

/** Index of each list in a `PhraseHits` array. */
export const LIST_INDEX = Object.fromEntries(LIST_NAMES.map((name, i) => [name, i])) as Record<PhraseListName, number>;

/** For each list (by `LIST_INDEX`), the text of the first phrase that matched, or undefined. */
export type PhraseHits = (string | undefined)[];

interface TrieNode {
  children: Map<string, TrieNode>;
  /** Ids of phrases whose Layer-0 tokens end here. */
  ends: number[];
}

interface CompiledPhrase {
  text: string;
  list: number;
  trigramCount: number;
  normSquared: number;
}

/** Thresholds of the fuzzy layers, already rounded to f32. */
export interface MatchThresholds {
  jaccard: number;
  cosine: number;
}

const ALNUM_OR_SPACE = new RegExp(`[^\\p{Alphabetic}\\p{N}_${WHITESPACE_CLASS}]`, 'gu');

/**
 * Every phrase of every list compiled into three shared indexes, so that one pass over a message
 * answers "which phrase of each list matches first" for all lists at once:
 * a token trie (Layer 0, exact phrase), trigram postings (Layer 1, Jaccard) and token postings
 * (Layer 2, cosine). The work per message is linear in its length, independent of the list sizes
 * for long messages (spec §3.2, §3.3). The built-in lists use one shared instance; custom signals
 * compile their own lists with `new PhraseIndex(lists)` (phrases must be ASCII).
 */
export class PhraseIndex {
  readonly phrases: CompiledPhrase[] = [];
  private readonly trie: TrieNode = { children: new Map(), ends: [] };
  /** Packed ASCII trigram → ids of the phrases that have it (phrases are ASCII). */
  private readonly trigramPostings = new Map<number, number[]>();
  private readonly tokenPostings = new Map<string, { ids: number[]; counts: number[] }>();
  private readonly maxTrigrams: number;
  private readonly shared: Int32Array;
  private readonly dot: Float64Array;

  private readonly listCount: number;

  constructor(lists: Readonly<Record<string, readonly string[]>> = PHRASE_LISTS) {
    let maxTrigrams = 0;
    const names = Object.keys(lists);
    this.listCount = names.length;
    names.forEach((name, list) => {
      for (const text of lists[name]) {
        const id = this.phrases.length;
        const collapsed = splitWhitespace(foldPunctuation(text.toLowerCase())).join(' ');
        this.addToTrie(tokenize(collapsed), id);
        const ngramText = splitWhitespace(collapsed.replace(ALNUM_OR_SPACE, '')).join(' ');
        const trigrams = trigramSet(ngramText);
        if (trigrams.other) throw new Error(`phrase "${text}" is not ASCII`);
        for (const t of trigrams.ascii) this.post(this.trigramPostings, t, id);
        const counts = new Map<string, number>();
        for (const w of splitWhitespace(ngramText)) counts.set(w, (counts.get(w) ?? 0) + 1);
        let normSquared = 0;
        for (const [word, count] of counts) {
          normSquared += count * count;
          let posting = this.tokenPostings.get(word);
          if (!posting) this.tokenPostings.set(word, (posting = { ids: [], counts: [] }));
          posting.ids.push(id);
          posting.counts.push(count);
        }
        maxTrigrams = Math.max(maxTrigrams, trigrams.size);
        this.phrases.push({ text, list, trigramCount: trigrams.size, normSquared });
      }
    });
    this.maxTrigrams = maxTrigrams;
    this.shared = new Int32Array(this.phrases.length);
    this.dot = new Float64Array(this.phrases.length);
  }

  private addToTrie(tokens: string[], id: number): void {
    if (tokens.length === 0) return;
    let node = this.trie;
    for (const token of tokens) {
      let next = node.children.get(token);
      if (!next) node.children.set(token, (next = { children: new Map(), ends: [] }));
      node = next;
    }
    node.ends.push(id);
  }

  private post(map: Map<number, number[]>, key: number, id: number): void {
    const list = map.get(key);
    if (list) list.push(id);
    else map.set(key, [id]);
  }

  /** The first matching phrase of every list for one message. */
  match(message: NormalizedMessage, thresholds: MatchThresholds): PhraseHits {
    const best = new Array<number>(this.listCount).fill(Infinity);
    const hit = (id: number): void => {
      const list = this.phrases[id].list;
      if (id < best[list]) best[list] = id;
    };
    this.matchExact(message.tokens, hit);
    this.matchTrigrams(message, thresholds.jaccard, hit);
    this.matchCosine(message, thresholds.cosine, hit);
    return best.map((id) => (id === Infinity ? undefined : this.phrases[id].text));
  }

  private matchExact(tokens: string[], hit: (id: number) => void): void {
    for (let i = 0; i < tokens.length; i++) {
      let node = this.trie.children.get(tokens[i]);
      for (let j = i + 1; node; j++) {
        for (const id of node.ends) hit(id);
        if (j >= tokens.length) break;
        node = node.children.get(tokens[j]);
      }
    }
  }

  private matchTrigrams(message: NormalizedMessage, threshold: number, hit: (id: number) => void): void {
    if (message.tokens.length === 0) return;
    const a = messageTrigrams(message);
    if (a.size === 0) return;
    if (threshold <= 0) {
      this.phrases.forEach((p, id) => p.trigramCount > 0 && hit(id));
      return;
    }
    // J <= min(|A|,|B|) / max(|A|,|B|): a message with many more trigrams than any phrase cannot reach the threshold.
    if (a.size * threshold > this.maxTrigrams) return;
    const touched: number[] = [];
    for (const t of a.ascii) {
      const ids = this.trigramPostings.get(t);
      if (!ids) continue;
      for (const id of ids) if (this.shared[id]++ === 0) touched.push(id);
    }
    for (const id of touched) {
      const shared = this.shared[id];
      this.shared[id] = 0;
      if (Math.fround(shared / (a.size + this.phrases[id].trigramCount - shared)) >= threshold) hit(id);
    }
  }

  private matchCosine(message: NormalizedMessage, threshold: number, hit: (id: number) => void): void {
    if (message.tokenFrequency.size === 0) return;
    if (threshold <= 0) {
      this.phrases.forEach((p, id) => p.normSquared > 0 && hit(id));
      return;
    }
    const touched: number[] = [];
    for (const [token, count] of message.tokenFrequency) {
      const posting = this.tokenPostings.get(token);
      if (!posting) continue;
      for (let k = 0; k < posting.ids.length; k++) {
        const id = posting.ids[k];
        if (this.dot[id] === 0) touched.push(id);
        this.dot[id] += count * posting.counts[k];
      }
    }
    const messageNorm = Math.sqrt(message.normSquared);
    for (const id of touched) {
      const dot = this.dot[id];
      this.dot[id] = 0;
      // Operation order as in the reference: dot / (sqrt(n1) * sqrt(n2)), then rounded to f32.
      if (Math.fround(dot / (messageNorm * Math.sqrt(this.phrases[id].normSquared))) >= threshold) hit(id);
    }
  }
}

let index: PhraseIndex | undefined;

/** The first matching phrase of every list for one message (spec §3.3), built on first use. */
export function matchPhrases(message: NormalizedMessage, thresholds: MatchThresholds): PhraseHits {
  index ??= new PhraseIndex();
  return index.match(message, thresholds);
}
