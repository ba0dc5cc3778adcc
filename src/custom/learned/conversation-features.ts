import type { SignalDefinition } from '../definition.js';
import { roleOf, type Role } from '../rules/features.js';
import type { Target } from '../types.js';
import { extraFeatures, FeatureNames, lastMessageOf, log1pCount, messageFeatures, readValue, ROLE_CODE, Slots, type FeatureSettings, type NamedFeatureVector } from './features.js';
import type { MessageFeatureMemo, MessageFeatures } from './message-features.js';
import { positionOf, type LoadedModel } from './model.js';

/**
 * The features of a target that carry a weight in the model, in ascending index order (the order scoring sums
 * them), each with its value in the full feature vector and how to name it: all that scoring and evidence read.
 */
export interface WeightedFeatures {
  size: number;
  index: Int32Array;
  value: Float64Array;
  /** The feature's position among the model's weights. */
  position: Int32Array;
  /** The name of the j-th feature (the first thing in the target that produced it), made when asked. */
  name(j: number): string;
}

/** Hash index → slot, open addressing: compact where a dense table is 1 MB at 18 bits (random reads into it miss the caches). */
class IndexTable {
  private keys = new Int32Array(64);
  private slots = new Int32Array(64);
  private used = 0;

  /** The slot of `index`, or -1. */
  get(index: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let h = index & mask; ; h = (h + 1) & mask) {
      const k = keys[h];
      if (k === index + 1) return this.slots[h];
      if (k === 0) return -1;
    }
  }

  /** Records the slot of `index` (not held yet). */
  set(index: number, slot: number): void {
    if ((this.used + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    const mask = keys.length - 1;
    let h = index & mask;
    while (keys[h] !== 0) h = (h + 1) & mask;
    keys[h] = index + 1;
    this.slots[h] = slot;
    this.used++;
  }

  /** Forgets every index (a scratch table reused per target). */
  clear(): void {
    if (this.used === 0) return;
    this.keys.fill(0);
    this.used = 0;
  }

  private grow(): void {
    const { keys, slots } = this;
    this.keys = new Int32Array(keys.length * 2);
    this.slots = new Int32Array(keys.length * 2);
    this.used = 0;
    for (let h = 0; h < keys.length; h++) if (keys[h] !== 0) this.set(keys[h] - 1, slots[h]);
  }

  /** Bytes held (for the cache's bound). */
  get bytes(): number {
    return this.keys.length * 8;
  }
}

/** A typed array at least `n` long: `a` itself, or a larger copy of it. */
function atLeast<A extends Int32Array | Float64Array>(a: A, n: number, make: (size: number) => A): A {
  if (a.length >= n) return a;
  const b = make(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

/** Scratch of `sortByKey`, reused. */
let packed = new Float64Array(256);

/**
 * Sorts `items` (whole numbers below 2^24) by `keyOf(item)` (whole numbers below 2^24, distinct per item) ascending, in place:
 * each pair packed in one double and sorted natively (a comparator function cost more than the rest of a target's work).
 */
function sortByKey(items: number[] | Int32Array, n: number, keyOf: Int32Array): void {
  if (n < 2) return;
  if (packed.length < n) packed = new Float64Array(Math.max(n, packed.length * 2));
  const keys = packed.subarray(0, n);
  for (let i = 0; i < n; i++) keys[i] = keyOf[items[i]] * 16_777_216 + items[i];
  keys.sort();
  for (let i = 0; i < n; i++) items[i] = keys[i] % 16_777_216;
}

/** Whether ascending `sorted[0..size)` holds `value`. */
function holds(sorted: Int32Array, size: number, value: number): boolean {
  let lo = 0;
  let hi = size - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid];
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The model's weight position of each of a message's indexes, kept on the memo's entry (one model per memo). */
function positionsOf(f: MessageFeatures, model: LoadedModel): Int32Array {
  const held = positionCache.get(f);
  if (held !== undefined && held.model === model) return held.at;
  const at = new Int32Array(f.index.length);
  for (let k = 0; k < at.length; k++) at[k] = positionOf(model, f.index[k]);
  positionCache.set(f, { model, at });
  return at;
}
const positionCache = new WeakMap<MessageFeatures, { model: LoadedModel; at: Int32Array }>();

type Row = Target['messages'][number];

/** A "last message" copy of the text features (`settings.last`): read right after message `at`. */
interface Copy {
  at: number;
  features: MessageFeatures;
  positions: Int32Array;
}

/** The text features of a target in ascending index order, their values over the norm, positions and names (see `textPart`). */
interface TextPart {
  /** The conversation's `version` it was made at. */
  version: number;
  size: number;
  index: Int32Array;
  value: Float64Array;
  position: Int32Array;
  /** Each feature's name: the k-th (`nameAt`) of the message features it was first met in (`nameFrom`). */
  nameFrom: MessageFeatures[];
  nameAt: Int32Array;
}

/** A text part with room for `n` features. */
function newPart(n: number): TextPart {
  return { version: 0, size: 0, index: new Int32Array(n), value: new Float64Array(n), position: new Int32Array(n), nameFrom: new Array(n), nameAt: new Int32Array(n) };
}

/**
 * The text features of one conversation's messages so far, kept between its targets: each hash index's summed count,
 * the message where it was first met, the first thing that produced it, in the order first met (what the full vector
 * is normalized and named by). A target whose messages continue the previous one's adds its new messages only; the
 * "last message" copies, the normalization, the extra features and the scoring are worked out per target, over the
 * conversation's distinct features (not over every message again).
 */
class ConversationText {
  /** The messages read so far (a target continues them when it starts with the same rows). */
  rows: readonly Row[] = [];
  size = 0;
  index = new Int32Array(256);
  count = new Float64Array(256);
  first = new Int32Array(256);
  /** Per slot, the model's weight position (or -1). */
  position = new Int32Array(256);
  /** Per slot, the message features that first produced it and its place there (named when read). */
  nameFrom: MessageFeatures[] = [];
  nameAt = new Int32Array(256);
  private readonly table = new IndexTable();
  /** Slots with a weight, ascending by index. */
  weighted = new Int32Array(64);
  weightedSize = 0;
  private spare = new Int32Array(64);
  /** Per role read, its last message that is not a tool call. */
  readonly lastAt = new Map<Role, number>();
  /** Counts messages of the roles read (each changes the text features). */
  version = 0;
  /** The text part of the last target (valid while `version` and the copies stay). */
  part: TextPart | undefined;

  constructor(
    private readonly settings: FeatureSettings,
    readonly model: LoadedModel,
    private readonly memo: MessageFeatureMemo,
  ) {}

  /** The slot of `index` among the conversation's text features, or -1. */
  slotOf(index: number): number {
    return this.table.get(index);
  }

  /** Reads the messages of `rows` past those read (`rows` continues `this.rows`). */
  extend(rows: readonly Row[]): void {
    const fresh: number[] = [];
    for (let i = this.rows.length; i < rows.length; i++) {
      const m = rows[i];
      const role = roleOf(m);
      if (!this.settings.roles.includes(role)) continue;
      if (m.from !== 'function_call') this.lastAt.set(role, i);
      this.version++;
      const f = messageFeatures(this.memo, readValue(m), ROLE_CODE[role], this.settings);
      const at = positionsOf(f, this.model);
      for (let k = 0; k < f.index.length; k++) {
        const index = f.index[k];
        const s = this.table.get(index);
        if (s >= 0) {
          this.count[s] += f.count[k];
          continue;
        }
        const slot = this.open(index, f.count[k], i, f, k, at[k]);
        if (at[k] >= 0) fresh.push(slot);
      }
    }
    this.rows = rows;
    if (fresh.length > 0) this.addWeighted(fresh);
  }

  private open(index: number, count: number, at: number, from: MessageFeatures, k: number, position: number): number {
    const slot = this.size++;
    if (slot === this.index.length) {
      this.index = atLeast(this.index, slot + 1, (n) => new Int32Array(n));
      this.count = atLeast(this.count, slot + 1, (n) => new Float64Array(n));
      this.first = atLeast(this.first, slot + 1, (n) => new Int32Array(n));
      this.position = atLeast(this.position, slot + 1, (n) => new Int32Array(n));
      this.nameAt = atLeast(this.nameAt, slot + 1, (n) => new Int32Array(n));
    }
    this.index[slot] = index;
    this.count[slot] = 0 + count;
    this.first[slot] = at;
    this.position[slot] = position;
    this.nameFrom.push(from);
    this.nameAt[slot] = k;
    this.table.set(index, slot);
    return slot;
  }

  /** Merges newly weighted slots into the ascending list. */
  private addWeighted(fresh: number[]): void {
    const index = this.index;
    sortByKey(fresh, fresh.length, index);
    const old = this.weighted;
    // Merged into the spare list (the former one becomes the spare: no list allocated per target).
    let merged = this.spare;
    if (merged.length < this.weightedSize + fresh.length) merged = new Int32Array(Math.max(old.length, this.weightedSize + fresh.length) * 2);
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < this.weightedSize || j < fresh.length) {
      if (j >= fresh.length || (i < this.weightedSize && index[old[i]] < index[fresh[j]])) merged[n++] = old[i++];
      else merged[n++] = fresh[j++];
    }
    this.spare = old;
    this.weighted = merged;
    this.weightedSize = n;
  }

  /** Bytes held (for the cache's bound). */
  get bytes(): number {
    const part = this.part === undefined ? 0 : this.part.index.length * 32;
    return this.index.length * 40 + this.table.bytes + (this.weighted.length + this.spare.length) * 4 + part;
  }
}

/** The conversation a target's messages belong to, per kind: its session, else its trace, else itself. */
function conversationKey(target: Target): string {
  const conversation = target.meta.sessionId ?? target.meta.traceId ?? `#${target.id}`;
  return `${target.kind}\u0000${target.agent}\u0000${conversation}`;
}

/** Whether `next` starts with the rows of `seen`. */
function continues(seen: readonly Row[], next: readonly Row[]): boolean {
  if (next.length < seen.length) return false;
  for (let i = 0; i < seen.length; i++) if (seen[i].from !== next[i].from || seen[i].value !== next[i].value) return false;
  return true;
}

/**
 * One model's text features per conversation (see `ConversationText`), least recently used out past
 * `maxConversations` or `maxBytes`. Results never depend on what is held: a target whose messages do not start with
 * its conversation's previous target's (edited, trimmed, another conversation under the same key) starts over.
 * Per target it works over the conversation's distinct features in compact arrays reused from target to target
 * (scoring reads one random place of a 1 MB table per feature otherwise, and allocates per target).
 */
export class ConversationFeatures {
  private readonly held = new Map<string, ConversationText>();
  private bytes = 0;
  // Scratch of one target, reused: the last-message copies' features by index, what they add to the conversation's slots.
  private readonly copyTable = new IndexTable();
  private copyIndex = new Int32Array(256);
  private copyCount = new Float64Array(256);
  private copyAt = new Int32Array(256);
  private copyPosition = new Int32Array(256);
  private copyFrom: MessageFeatures[] = [];
  private copyK = new Int32Array(256);
  private copySize = 0;
  private added = new Float64Array(256);
  private addedAt: number[] = [];
  private moved = new Uint8Array(256);
  private readonly copyOnly: number[] = [];
  // The weighted features handed out (valid until the next call).
  private outIndex = new Int32Array(256);
  private outValue = new Float64Array(256);
  private outPosition = new Int32Array(256);
  private outFrom: (MessageFeatures | null)[] = [];
  private outAt = new Int32Array(256);
  private outExtra: ((() => string) | undefined)[] = [];

  constructor(
    private readonly model: LoadedModel,
    private readonly memo: MessageFeatureMemo,
    private readonly maxConversations = 1_000,
    private readonly maxBytes = 32 * 1024 * 1024,
  ) {}

  /**
   * The target's features with a weight in the model: those of `extractFeatures(target, ...)` (same values, same
   * names). The arrays are this object's and are overwritten by the next call.
   */
  weighted(target: Target, definition: Pick<SignalDefinition, 'rules'>): WeightedFeatures {
    return this.assemble(this.textOf(target), target, definition, false).weighted;
  }

  /** The target's whole feature vector (what `extractFeatures(target, settings, definition, true)` gives): for tests. */
  vector(target: Target, definition: Pick<SignalDefinition, 'rules'>): NamedFeatureVector {
    return this.assemble(this.textOf(target), target, definition, true).vector!;
  }

  /** Conversations held and bytes they take (tests and the worst-case benchmark read it). */
  get stats(): { conversations: number; bytes: number } {
    return { conversations: this.held.size, bytes: this.bytes };
  }

  /** The conversation's text features with `target`'s messages read. */
  private textOf(target: Target): ConversationText {
    const key = conversationKey(target);
    let text = this.held.get(key);
    if (text !== undefined) {
      this.held.delete(key);
      this.bytes -= text.bytes;
      if (!continues(text.rows, target.messages)) text = undefined;
    }
    text ??= new ConversationText(this.model.settings, this.model, this.memo);
    text.extend(target.messages);
    this.held.set(key, text);
    this.bytes += text.bytes;
    for (const [k, t] of this.held) {
      if (this.held.size <= this.maxConversations && this.bytes <= this.maxBytes) break;
      if (t === text) break;
      this.held.delete(k);
      this.bytes -= t.bytes;
    }
    return text;
  }

  /**
   * The full-vector values and names of a conversation's target: the text part (see `textPart`), then the extra
   * features added to the text features sharing their index or inserted in index order, as `extractFeatures` does.
   */
  private assemble(text: ConversationText, target: Target, definition: Pick<SignalDefinition, 'rules'>, all: boolean): { weighted: WeightedFeatures; vector: NamedFeatureVector | null } {
    const settings = this.model.settings;
    const part = this.textPart(text, target, all);
    // The extra features (a few dozen at most), ascending; the extra-only ones among them.
    const extra = extraFeatures(target, settings, definition, true, this.memo, text.lastAt);
    const extras = extra.slots.order.map((index, e) => ({ index, e })).sort((a, b) => a.index - b.index);
    extra.slots.release();
    const extraOnly: number[] = [];
    // Not a text feature: neither one of the conversation's (the part holds every weighted one, or all of them for
    // `all`) nor one of the copies' (the part holds each of those that is weighted, or all of them for `all`).
    for (const { index } of extras) if ((all ? text.slotOf(index) < 0 : positionOf(this.model, index) >= 0) && !holds(part.index, part.size, index)) extraOnly.push(index);
    const n = part.size + extraOnly.length;
    const index = all ? new Int32Array(n) : (this.outIndex = atLeast(this.outIndex, n, (m) => new Int32Array(m)));
    const value = all ? new Float64Array(n) : (this.outValue = atLeast(this.outValue, n, (m) => new Float64Array(m)));
    const position = all ? new Int32Array(n) : (this.outPosition = atLeast(this.outPosition, n, (m) => new Int32Array(m)));
    const from = this.outFrom;
    const extraNames = this.outExtra;
    const at = (this.outAt = atLeast(this.outAt, n, (m) => new Int32Array(m)));
    let a = 0;
    let c = 0;
    let x = 0;
    for (let p = 0; p < n; p++) {
      const fromText = a < part.size && (c >= extraOnly.length || part.index[a] < extraOnly[c]);
      const k = fromText ? part.index[a] : extraOnly[c];
      while (x < extras.length && extras[x].index < k) x++;
      const e = x < extras.length && extras[x].index === k ? extras[x].e : -1;
      index[p] = k;
      if (fromText) {
        value[p] = e >= 0 ? part.value[a] + extra.sums[e] : part.value[a];
        position[p] = part.position[a];
        from[p] = part.nameFrom[a];
        at[p] = part.nameAt[a];
        a++;
      } else {
        value[p] = 0 + extra.sums[e];
        position[p] = positionOf(this.model, k);
        from[p] = null;
        extraNames[p] = extra.names![e];
        c++;
      }
    }
    const named = (p: number) => from[p]?.nameOf(at[p]) ?? extraNames[p]?.() ?? `#${index[p]}`;
    const weighted: WeightedFeatures = { size: n, index, value, position, name: named };
    if (!all) return { weighted, vector: null };
    const makers = Array.from({ length: n }, (_, p) => {
      const f = from[p];
      const k = at[p];
      return f !== null ? () => f.nameOf(k) : extraNames[p];
    });
    return { weighted, vector: { index, value, names: new FeatureNames(index, makers) } };
  }

  /**
   * The text features of a conversation's target in ascending index order (the weighted ones, or every one for
   * `all`), each with its count's log over the norm and its name: the "last message" copies inserted where they come
   * in message order (a copy is read right after its message), counts summed, the norm summed in the order each index
   * was first met. Kept on the conversation while no message of a role read comes and the copies stay the same (a
   * tool round adds no user text): then a span costs only its extra features and the scoring.
   */
  private textPart(text: ConversationText, target: Target, all: boolean): TextPart {
    // The copies are those of the same messages while no message of a role read came (`version`).
    const held = text.part;
    if (!all && held !== undefined && held.version === text.version) return held;
    const settings = this.model.settings;
    const copies: Copy[] = [];
    if (settings.last) {
      for (const role of settings.roles) {
        const at = text.lastAt.get(role);
        if (at === undefined) continue;
        const features = messageFeatures(this.memo, readValue(target.messages[at]), ROLE_CODE[role] - 32, settings);
        copies.push({ at, features, positions: positionsOf(features, this.model) });
      }
      copies.sort((a, b) => a.at - b.at);
    }
    // The copies' indexes: summed per index, the copy where each was first met; what they add to the conversation's slots.
    const copyTable = this.copyTable;
    copyTable.clear();
    this.copySize = 0;
    if (this.added.length < text.size) {
      this.added = new Float64Array(Math.max(text.size, this.added.length * 2));
      this.moved = new Uint8Array(this.added.length);
    }
    const added = this.added;
    const moved = this.moved;
    const addedAt = this.addedAt;
    for (let j = 0; j < copies.length; j++) {
      const { features: f, positions } = copies[j];
      for (let k = 0; k < f.index.length; k++) {
        const t = copyTable.get(f.index[k]);
        if (t >= 0) this.copyCount[t] += f.count[k];
        else {
          const slot = this.copySize++;
          if (slot === this.copyCount.length) {
            this.copyIndex = atLeast(this.copyIndex, slot + 1, (n) => new Int32Array(n));
            this.copyCount = atLeast(this.copyCount, slot + 1, (n) => new Float64Array(n));
            this.copyAt = atLeast(this.copyAt, slot + 1, (n) => new Int32Array(n));
            this.copyPosition = atLeast(this.copyPosition, slot + 1, (n) => new Int32Array(n));
            this.copyK = atLeast(this.copyK, slot + 1, (n) => new Int32Array(n));
          }
          copyTable.set(f.index[k], slot);
          this.copyIndex[slot] = f.index[k];
          this.copyCount[slot] = 0 + f.count[k];
          this.copyAt[slot] = j;
          this.copyPosition[slot] = positions[k];
          this.copyFrom[slot] = f;
          this.copyK[slot] = k;
        }
        const s = text.slotOf(f.index[k]);
        if (s >= 0) {
          if (added[s] === 0) addedAt.push(s);
          added[s] += f.count[k];
        }
      }
    }
    // Copy-only indexes (weighted ones, or every one for `all`): their copy slots.
    const copyOnly = this.copyOnly;
    copyOnly.length = 0;
    // The norm: squares summed one by one in the order first met (the same float sums as `extractFeatures`).
    let norm = 0;
    let j = 0;
    const { count, first, size } = text;
    for (let s = 0; s < size; s++) {
      while (j < copies.length && first[s] > copies[j].at) norm = this.copySquares(text, copies[j], j++, norm, copyOnly, all);
      if (moved[s] === 1) continue;
      const v = log1pCount(count[s] + added[s]);
      norm += v * v;
    }
    while (j < copies.length) norm = this.copySquares(text, copies[j], j++, norm, copyOnly, all);
    norm = Math.sqrt(norm);
    const copyIndex = this.copyIndex;
    sortByKey(copyOnly, copyOnly.length, copyIndex);

    // In ascending index order: the conversation's slots (weighted ones, or all) and the copy-only indexes.
    let slots: Int32Array;
    if (all) {
      slots = Int32Array.from({ length: size }, (_, s) => s);
      sortByKey(slots, size, text.index);
    } else slots = text.weighted.subarray(0, text.weightedSize);
    const n = slots.length + copyOnly.length;
    // The conversation's former part is replaced: its arrays are reused (a target allocates none while they are large enough).
    const part = all ? newPart(n) : held !== undefined && held.index.length >= n ? held : newPart(Math.max(n, 2 * (held?.index.length ?? 0)));
    part.version = text.version;
    part.size = n;
    let a = 0;
    let b = 0;
    for (let p = 0; p < n; p++) {
      const ia = a < slots.length ? text.index[slots[a]] : Infinity;
      const ib = b < copyOnly.length ? copyIndex[copyOnly[b]] : Infinity;
      let total: number;
      if (ia <= ib) {
        const s = slots[a++];
        part.index[p] = ia;
        total = count[s] + added[s];
        const t = moved[s] === 1 ? copyTable.get(ia) : -1;
        part.nameFrom[p] = t >= 0 ? this.copyFrom[t] : text.nameFrom[s];
        part.nameAt[p] = t >= 0 ? this.copyK[t] : text.nameAt[s];
        part.position[p] = text.position[s];
      } else {
        const t = copyOnly[b++];
        part.index[p] = ib;
        total = this.copyCount[t];
        part.nameFrom[p] = this.copyFrom[t];
        part.nameAt[p] = this.copyK[t];
        part.position[p] = this.copyPosition[t];
      }
      part.value[p] = log1pCount(total) / norm;
    }
    for (const s of addedAt) {
      added[s] = 0;
      moved[s] = 0;
    }
    addedAt.length = 0;
    if (!all) text.part = part;
    return part;
  }

  /**
   * `norm` plus the squares of copy `j`'s indexes first met there (in its order), marking the conversation's slots
   * it meets first (the walk skips them) and listing its copy-only indexes. A method, not a closure: a double
   * updated inside a closure is boxed on every update.
   */
  private copySquares(text: ConversationText, copy: Copy, j: number, norm: number, copyOnly: number[], all: boolean): number {
    const { at, features } = copy;
    let sum = norm;
    for (let k = 0; k < features.index.length; k++) {
      const index = features.index[k];
      const t = this.copyTable.get(index);
      if (this.copyAt[t] !== j) continue;
      const s = text.slotOf(index);
      // Met in a message up to the copy's: the walk counts it there.
      if (s >= 0 && text.first[s] <= at) continue;
      const v = log1pCount((s >= 0 ? text.count[s] : 0) + this.copyCount[t]);
      sum += v * v;
      if (s >= 0) this.moved[s] = 1;
      else if (all || this.copyPosition[t] >= 0) copyOnly.push(t);
    }
    return sum;
  }
}
