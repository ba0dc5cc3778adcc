/**
 * What one message gave the learned judge's text features, in the order it gave them: each hash index once (in the
 * order of its first occurrence), how often it occurred, and how to name its first occurrence (for explanations).
 */
export interface MessageFeatures {
  index: Int32Array;
  count: Float64Array;
  /**
   * The name of the k-th index's first occurrence, made when asked (a closure per n-gram, held by the memo for
   * every message, made the judge thread's heap large and its collections long).
   */
  nameOf(k: number): string;
}

/**
 * The text features of each message read, by role and text, least recently used evicted past `maxEntries` stored
 * indexes. Chat instrumentations send a span's whole history again with every call, so span-scope judging meets
 * each message once per later span: with the memo, a span costs the n-grams of its new messages plus one merge per
 * old one, not hashing every n-gram of the history again. A message's features depend on its text, its role and
 * the model's feature settings alone, so each memo serves one model (see `featureMemoOf`).
 */
export class MessageFeatureMemo {
  /** By role code, then text: the text itself is the key (a joined role-and-text key was copied and hashed per read). */
  private readonly byRole = new Map<number, Map<string, MessageFeatures>>();
  /** Every held entry, least recently used first (keyed by the entry object: no text hashed again). */
  private readonly recency = new Map<MessageFeatures, [texts: Map<string, MessageFeatures>, text: string]>();
  private stored = 0;

  constructor(private readonly maxEntries = 2_000_000) {}

  /** The features of `text` read as role `role`, computed by `compute` when not held. */
  of(role: number, text: string, compute: () => MessageFeatures): MessageFeatures {
    let texts = this.byRole.get(role);
    if (texts === undefined) this.byRole.set(role, (texts = new Map()));
    const hit = texts.get(text);
    if (hit !== undefined) {
      // Most recently used last, so eviction takes the oldest.
      const place = this.recency.get(hit)!;
      this.recency.delete(hit);
      this.recency.set(hit, place);
      return hit;
    }
    const fresh = compute();
    if (fresh.index.length > this.maxEntries) return fresh;
    texts.set(text, fresh);
    this.recency.set(fresh, [texts, text]);
    this.stored += fresh.index.length;
    for (const [entry, [held, key]] of this.recency) {
      if (this.stored <= this.maxEntries) break;
      this.recency.delete(entry);
      held.delete(key);
      this.stored -= entry.index.length;
    }
    return fresh;
  }

  /** Messages held (tests and the worst-case benchmark read it). */
  get size(): number {
    return this.recency.size;
  }
}

const memos = new WeakMap<object, MessageFeatureMemo>();

/** The memo of one model (by its feature settings object, which never changes once the model is loaded). */
export function featureMemoOf(settings: object): MessageFeatureMemo {
  let memo = memos.get(settings);
  if (memo === undefined) memos.set(settings, (memo = new MessageFeatureMemo()));
  return memo;
}
