/**
 * What one compiled rules judge found in one message text: the match of each pattern condition (its text, or
 * null) and the phrase hits of each kind, filled in as conditions ask for them.
 */
export interface MessageFindings {
  patterns: (string | null | undefined)[];
  exact?: (string | undefined)[];
  fuzzy?: (string | undefined)[];
}

/**
 * Findings per message text, least recently used evicted past `maxChars` of text. Chat instrumentations send a
 * span's whole history again with every call, so span-scope judging meets each message once per later span:
 * with the memo, a span costs its new messages plus one hash lookup per old one, not a pattern run per message.
 * Results depend on the text alone (a condition's role, position and count are applied by the caller), so a
 * hit is exactly what the patterns would return.
 */
export class MessageMemo {
  private readonly entries = new Map<string, MessageFindings>();
  private chars = 0;

  constructor(private readonly maxChars = 4_000_000) {}

  /** The findings slot of `text` (empty when first seen). */
  of(text: string): MessageFindings {
    const hit = this.entries.get(text);
    if (hit !== undefined) {
      // Most recently used last, so eviction takes the oldest.
      this.entries.delete(text);
      this.entries.set(text, hit);
      return hit;
    }
    const fresh: MessageFindings = { patterns: [] };
    // A text larger than the whole budget would only evict everything else.
    if (text.length > this.maxChars) return fresh;
    this.entries.set(text, fresh);
    this.chars += text.length;
    for (const key of this.entries.keys()) {
      if (this.chars <= this.maxChars) break;
      this.entries.delete(key);
      this.chars -= key.length;
    }
    return fresh;
  }

  /** Texts held (tests and the worst-case benchmark read it). */
  get size(): number {
    return this.entries.size;
  }
}
