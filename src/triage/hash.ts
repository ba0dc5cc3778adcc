/**
 * Stable hashing of conversation ids, in pure TypeScript so the same id hashes the same in Node, in a worker
 * and at the edge. Selections keyed by it do not depend on input order.
 */
import { sha256 } from './sha256.js';

const encoder = new TextEncoder();
/** The custom signals' sampling prefix (src/custom/sample.ts): one sampling function for the whole project. */
const SAMPLE_PREFIX = 'agent-signals:sample:v1\0';
const TWO_32 = 4294967296;
// FNV-1a 64-bit offset basis 0xcbf29ce484222325, as two 32-bit halves.
const OFFSET_HI = 0xcbf29ce4;
const OFFSET_LO = 0x84222325;

/** A 64-bit hash as two unsigned 32-bit halves (plain numbers: BigInt is too slow per byte). */
export interface Hash64 {
  hi: number;
  lo: number;
}

function feed(hi: number, lo: number, bytes: Uint8Array): Hash64 {
  for (let i = 0; i < bytes.length; i++) {
    lo = (lo ^ bytes[i]) >>> 0;
    // h * 0x100000001b3 mod 2^64 = h * 0x1b3 + (h << 40); lo * 0x1b3 < 2^41 is exact in a double.
    const t = lo * 0x1b3;
    const carry = Math.floor(t / TWO_32);
    hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
    lo = t >>> 0;
  }
  return { hi, lo };
}

/** Seed of the tie-break hash: ties in score are ordered the same by the sampler and by `signals eval`. */
export const TIE_SEED = 0x7e1e;

/** FNV-1a 64 of the UTF-8 bytes of `text`. */
export function fnv1a64(text: string): Hash64 {
  return feed(OFFSET_HI, OFFSET_LO, encoder.encode(text));
}

/**
 * The canonical text of an id: its JSON form, so `1` and `"1"` differ and ids that the reference
 * re-serializes (`2.50` → `2.5`) hash alike however they were written.
 */
export function idKey(id: unknown): string {
  return JSON.stringify(id) ?? 'null';
}

/**
 * A uniform number in [0, 1) from `seed` and the id: the custom signals' sampling position (src/custom/sample.ts,
 * the first 56 bits of SHA-256 over "agent-signals:sample:v1\0" + scope + "\0" + id) with the scope
 * `triage:<seed>` and the id's JSON form, computed synchronously. A cryptographic hash leaves no trace of id
 * order (FNV-1a's top bits, used before, put neighbouring ids next to each other); seeds give independent orders.
 */
export function hashUnit(id: unknown, seed = 0): number {
  const digest = sha256(encoder.encode(`${SAMPLE_PREFIX}triage:${seed}\0${idKey(id)}`));
  let value = 0;
  for (let i = 0; i < 7; i++) value = value * 256 + digest[i];
  return value / 2 ** 56;
}
