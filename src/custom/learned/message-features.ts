/**
 * What one message gave the learned judge's text features, in the order it gave them: each hash index once (in the
 * order of its first occurrence), how often it occurred, and how to name its first occurrence (for explanations).
 */
export interface MessageFeatures {
  index: Int32Array;
  count: Float64Array;
  name: (() => string)[];
}

/**
 * The text features of each message read, by role and text, least recently used evicted past `maxEntries` stored
 * indexes. Chat instrumentations send a span's whole history again with every call, so span-scope judging meets
 * each message once per later span: with the memo, a span costs the n-grams of its new messages plus one merge per
 * old one, not hashing every n-gram of the history again. A message's features depend on its text, its role and
 * the model's feature settings alone, so each memo serves one model (see `featureMemoOf`).
 */
export class MessageFeatureMemo {
  private readonly entries = new Map<string, MessageFeatures>();
  private stored = 0;

  constructor(private readonly maxEntries = 2_000_000) {}

  /** The features of `key`, computed by `compute` when not held. */
  of(key: string, compute: () => MessageFeatures): MessageFeatures {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // Most recently used last, so eviction takes the oldest.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const fresh = compute();
    if (fresh.index.length > this.maxEntries) return fresh;
    this.entries.set(key, fresh);
    this.stored += fresh.index.length;
    for (const [k, v] of this.entries) {
      if (this.stored <= this.maxEntries) break;
      this.entries.delete(k);
      this.stored -= v.index.length;
    }
    return fresh;
  }

  /** Messages held (tests and the worst-case benchmark read it). */
  get size(): number {
    return this.entries.size;
  }
}

const memos = new WeakMap<object, MessageFeatureMemo>();

/** The memo of one model (by its feature settings object, which never changes once the model is loaded). */
export function featureMemoOf(settings: object): MessageFeatureMemo {
  let memo = memos.get(settings);
  if (memo === undefined) memos.set(settings, (memo = new MessageFeatureMemo()));
  return memo;
}
