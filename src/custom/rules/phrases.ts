import { normalizeMessage, type NormalizedMessage } from '../../core/normalize.js';
import { PHRASE_LISTS, PhraseIndex, type MatchThresholds } from '../../core/phrase-index.js';

/** The built-in lists a condition can name as `builtin:<list>` (e.g. `builtin:quit`). */
export const BUILTIN_LISTS = Object.keys(PHRASE_LISTS).map((name) => `builtin:${name}`);

/** The core's fuzzy thresholds (f32), used when a condition sets `fuzzy: true`. */
const FUZZY: MatchThresholds = { jaccard: Math.fround(0.65), cosine: Math.fround(0.6) };
/** Above 1, so the Jaccard and cosine layers never fire: whole-phrase matches only. */
const EXACT: MatchThresholds = { jaccard: 2, cosine: 2 };

/** Longest message text the phrase matcher reads (head and tail kept beyond, as the core does). */
const MAX_MESSAGE_LENGTH = 20_000;

/** All phrase lists of one rules judge compiled into one core phrase index: one pass per message answers all. */
export class PhraseBook {
  private readonly names: string[];
  private readonly index: PhraseIndex;

  /** Throws the core's error for a non-ASCII phrase. */
  constructor(lists: Map<string, readonly string[]>) {
    this.names = [...lists.keys()];
    this.index = new PhraseIndex(Object.fromEntries(lists));
  }

  /** Where a list sits in the hits array. */
  slot(name: string): number {
    return this.names.indexOf(name);
  }

  /** First matching phrase of every list for a prepared message. */
  match(message: NormalizedMessage, fuzzy: boolean): (string | undefined)[] {
    return this.index.match(message, fuzzy ? FUZZY : EXACT);
  }
}

/** The lists a built-in name refers to. */
export function builtinList(name: string): readonly string[] | undefined {
  if (!name.startsWith('builtin:')) return undefined;
  return (PHRASE_LISTS as Record<string, readonly string[]>)[name.slice('builtin:'.length)];
}

/** A message prepared once for the phrase index. */
export function prepareMessage(text: string): NormalizedMessage {
  return normalizeMessage(text, MAX_MESSAGE_LENGTH, true);
}
