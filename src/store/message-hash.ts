// Keys of stored messages: a 64-bit hash of a message's JSON text, computed in plain JavaScript so the same key
// comes out on Node, Workers and in every replica (no node:crypto on Workers, and Web Crypto's digest is async).
// A key only has to tell apart the messages of one conversation of one agent (hundreds to thousands): at 64 bits a
// chance collision there is about 1 in 10^13, and a crafted one could only mix up the crafter's own messages.

/** Hashes remembered per process: chat spans repeat their whole history, so most texts were hashed a moment ago. */
const MEMO_CHARS = 8_000_000;
const memo = new Map<string, string>();
let memoChars = 0;

/** The hash of a message's JSON text: 16 hex digits. */
export function messageHash(text: string): string {
  const hit = memo.get(text);
  if (hit !== undefined) return hit;
  const hash = hashText64(text);
  if (text.length <= MEMO_CHARS / 16) {
    memo.set(text, hash);
    memoChars += text.length;
    // Oldest first (insertion order); a hit does not refresh: history texts come back within seconds or not at all.
    for (const key of memo.keys()) {
      if (memoChars <= MEMO_CHARS) break;
      memo.delete(key);
      memoChars -= key.length;
    }
  }
  return hash;
}

/** Two 32-bit multiply-xorshift lanes over the UTF-16 code units (cyrb53's mixing, both lanes kept whole). */
function hashText64(text: string): string {
  let h1 = 0xdeadbeef ^ text.length;
  let h2 = 0x41c6ce57 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}
