/**
 * Time-ordered unique ids in the UUIDv7 layout (RFC 9562): 48 bits of Unix milliseconds, a 12-bit sequence that
 * keeps ids of one process increasing within a millisecond, then 62 random bits (unique across replicas).
 *
 * Why not random UUIDs: an id is a primary key, so a random one lands on a random page of its index and every
 * insert batch dirtied pages all over it (each written again at commit); ids that grow with time append to the
 * index's last pages.
 */
export function timeOrderedId(now: number = Date.now()): string {
  if (now > state.ms) {
    state.ms = now;
    // A random start in the lower half leaves room to count up within the millisecond.
    state.seq = Math.floor(Math.random() * 0x800);
  } else if (++state.seq > 0xfff) {
    // More than the sequence holds in one millisecond (or the clock went back): borrow the next one.
    state.ms++;
    state.seq = 0;
  }
  const time = state.ms.toString(16).padStart(12, '0');
  // `randomUUID` gives the RFC variant bits and the random tail: `xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx`.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${state.seq.toString(16).padStart(3, '0')}-${crypto.randomUUID().slice(19)}`;
}

const state = { ms: 0, seq: 0 };
