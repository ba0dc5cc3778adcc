import type { Condition, RulesSpec, SignalDefinition } from '../definition.js';
import { judgeWithRules } from '../rules/judge-rules.js';
import { compilePattern, type SafePattern } from '../rules/safe-regex.js';
import { endsOnUnansweredToolCall, reportOf, reportSignals, roleOf, toolErrorCount, type Role } from '../rules/features.js';
import type { Target } from '../types.js';
import { FNV_OFFSET, mix, mixText } from './hash.js';
import type { MessageFeatureMemo, MessageFeatures } from './message-features.js';

/** What the learned judge reads from a target (stored in the model, so training and judging read the same). */
export interface FeatureSettings {
  /** The hash space is 2^bits indexes. */
  bits: number;
  /** Word n-gram sizes, e.g. [1, 2]. */
  words: number[];
  /** Character n-gram sizes over the lower-cased text, e.g. [3, 4, 5]; [] for none. */
  chars: number[];
  /** Whose messages are read; each feature is kept apart by role. */
  roles: Role[];
  /** The last message of each role read also gives features of its own (where the turn ended matters). */
  last: boolean;
  /** Counts from the built-in analysis: turns, tool calls and errors, signal types, quality. */
  builtin: boolean;
  /** The signal's own rules verdict (which rule held) as features: rules combined with the learned model. */
  rules: boolean;
  /**
   * Each pattern of the signal's rules read as a word list, whatever role and message its rule looks at: whether the
   * last message of each role read matches it, and log(1 + how many of that role's messages do). It gives the model
   * the rules' vocabulary where the labels are too few to learn it (absent: false).
   */
  lexicon?: boolean;
  /** Each message is read up to this many characters (its start and its end), so judging cost stays bounded. */
  max_message_chars: number;
}

/** The defaults of `signals learn`: word 1-2-grams and character 3-5-grams of user and assistant text. */
export const DEFAULT_FEATURES: FeatureSettings = {
  bits: 18,
  words: [1, 2],
  chars: [3, 4, 5],
  roles: ['user', 'assistant'],
  last: true,
  builtin: true,
  rules: false,
  max_message_chars: 4000,
};

/** A sparse feature vector: ascending hash indexes and their values. */
export interface FeatureVector {
  index: Int32Array;
  value: Float64Array;
}

/** A feature vector with, for each index, the first thing in the target that produced it (for explanations). */
export interface NamedFeatureVector extends FeatureVector {
  names: FeatureNames;
}

/** Each role's code in the feature hashes; a role's last message is read again as its code - 32 (`settings.last`). */
export const ROLE_CODE: Record<Role, number> = { user: 117, assistant: 97, tool: 116, system: 115 };
const KIND_WORD = 1;
const KIND_CHAR = 2;
const KIND_BUILTIN = 3;
const KIND_RULE = 4;
const KIND_LEXICON = 5;
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Murmur3's finalizer: spreads FNV's bits before the index is cut to `bits`. */
function finish(h: number, mask: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return (x >>> 0) & mask;
}

/** At most `max` characters of a message: its start and its end. */
function cutText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.ceil(max / 2))} ${text.slice(text.length - Math.floor(max / 2))}` : text;
}

/** The text of one message as read: lower-cased, whitespace runs as one space, at most `max` characters (start and end). */
export function readText(text: string, max: number): string {
  return cutText(text, max).toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A pattern of the rules, named after its rule (`NAME #2` for a rule's second pattern). */
interface LexiconEntry {
  name: string;
  pattern: SafePattern;
}

const lexicons = new WeakMap<RulesSpec, LexiconEntry[]>();

/** The patterns of a rules spec in rule order, compiled once per rules object (the definition was validated). */
function lexiconOf(rules: RulesSpec): LexiconEntry[] {
  let entries = lexicons.get(rules);
  if (entries) return entries;
  entries = [];
  for (const [r, rule] of rules.when.entries()) {
    const found: Condition[] = [];
    const walk = (c: Condition): void => {
      if (c.pattern !== undefined) found.push(c);
      for (const inner of [...(c.any ?? []), ...(c.all ?? []), ...(c.not ? [c.not] : [])]) walk(inner);
    };
    walk(rule.if);
    const name = rule.name ?? `rule ${r + 1}`;
    found.forEach((c, k) => entries!.push({ name: found.length > 1 ? `${name} #${k + 1}` : name, pattern: compilePattern(c.pattern!, { caseSensitive: c.case_sensitive ?? false }) }));
  }
  lexicons.set(rules, entries);
  return entries;
}

/** Characters of message text whose lexicon hits are kept per lexicon (least recently used out past them). */
const LEXICON_MEMO_CHARS = 8_000_000;

interface HitsMemo {
  hits: Map<string, boolean[]>;
  chars: number;
}

const lexiconMemos = new WeakMap<LexiconEntry[], HitsMemo>();

/** Which patterns of `lexicon` match `text`, each text searched once while it stays in the lexicon's memo. */
function lexiconHits(lexicon: LexiconEntry[], text: string): boolean[] {
  let memo = lexiconMemos.get(lexicon);
  if (memo === undefined) lexiconMemos.set(lexicon, (memo = { hits: new Map(), chars: 0 }));
  const held = memo.hits.get(text);
  if (held !== undefined) {
    memo.hits.delete(text);
    memo.hits.set(text, held);
    return held;
  }
  const hits = lexicon.map((e) => e.pattern.search(text) !== null);
  if (text.length > LEXICON_MEMO_CHARS) return hits;
  memo.hits.set(text, hits);
  memo.chars += text.length;
  for (const k of memo.hits.keys()) {
    if (memo.chars <= LEXICON_MEMO_CHARS) break;
    memo.hits.delete(k);
    memo.chars -= k.length;
  }
  return hits;
}

/** Hash spaces up to this many bits count in a dense table (4 MB at 20 bits); larger ones in a Map. */
const DENSE_BITS = 20;

/** Dense slot tables (`table[index]` = slot + 1, 0 when unused) by hash-space size, kept zeroed between uses. */
const freeTables = new Map<number, Int32Array[]>();

/**
 * Slots of hash indexes in the order they were first met: a dense table (reused, cleared index by index after use)
 * for the hash spaces models use, a Map beyond. Adding a feature is two array reads instead of Map lookups.
 */
export class Slots {
  private readonly dense: Int32Array | null;
  private readonly sparse: Map<number, number> | null;
  /** The indexes in first-met order. */
  readonly order: number[] = [];
  /** `dense: false` keeps a Map whatever the hash space (a handful of indexes: no 1 MB table to touch). */
  constructor(
    readonly mask: number,
    dense = true,
  ) {
    const size = mask + 1;
    this.dense = dense && size <= 2 ** DENSE_BITS ? (freeTables.get(size)?.pop() ?? new Int32Array(size)) : null;
    this.sparse = this.dense === null ? new Map() : null;
  }
  /** The slot of `index`, or -1. */
  get(index: number): number {
    return this.dense !== null ? this.dense[index] - 1 : (this.sparse!.get(index) ?? -1);
  }
  /** Gives `index` the next slot (it has none) and returns it. */
  open(index: number): number {
    const slot = this.order.length;
    this.order.push(index);
    if (this.dense !== null) this.dense[index] = slot + 1;
    else this.sparse!.set(index, slot);
    return slot;
  }
  /** Hands the dense table back, zeroed, for the next extraction; this object is not used again. */
  release(): void {
    if (this.dense === null) return;
    for (const index of this.order) this.dense[index] = 0;
    let free = freeTables.get(this.dense.length);
    if (free === undefined) freeTables.set(this.dense.length, (free = []));
    if (free.length < 4) free.push(this.dense);
  }
}

/**
 * Sums of features by hash index, in the order each index was first added, with (when `named`) how to name the first
 * thing that produced each; names are made only when asked for (explanations read a few of them).
 */
export class Accumulator {
  readonly slots: Slots;
  readonly sums: number[] = [];
  readonly names: ((() => string) | undefined)[] | null;
  constructor(
    readonly mask: number,
    named: boolean,
    dense = true,
  ) {
    this.slots = new Slots(mask, dense);
    this.names = named ? [] : null;
  }
  add(hash: number, amount: number, name?: () => string): void {
    this.addAt(finish(hash, this.mask), amount, name);
  }
  private addAt(index: number, amount: number, name: (() => string) | undefined): void {
    const slot = this.slots.get(index);
    if (slot < 0) {
      this.slots.open(index);
      this.sums.push(0 + amount);
      this.names?.push(name);
      return;
    }
    this.sums[slot] += amount;
    if (this.names !== null && this.names[slot] === undefined) this.names[slot] = name;
  }
  /** Adds what one message gave (`MessageFeatures`), as if its n-grams were added here one by one. */
  merge(m: MessageFeatures): void {
    for (let k = 0; k < m.index.length; k++) {
      const index = m.index[k];
      const slot = this.slots.get(index);
      if (slot < 0) {
        this.slots.open(index);
        this.sums.push(0 + m.count[k]);
        this.names?.push(() => m.nameOf(k));
        continue;
      }
      this.sums[slot] += m.count[k];
      if (this.names !== null && this.names[slot] === undefined) this.names[slot] = () => m.nameOf(k);
    }
  }

  /** A sink for `addText`'s n-grams of `text` read as `roleCode` (names made when read, and only when named). */
  grams(text: string, roleCode: number): GramSink {
    return { gram: (hash, chars, start, end) => this.add(hash, 1, this.names === null ? undefined : () => gramName(text, roleCode, chars, start, end)) };
  }
}

/** Where `addText` puts each n-gram: its hash and where its text is (`chars`: in ` ${text} `, else in the text). */
interface GramSink {
  gram(hash: number, chars: boolean, start: number, end: number): void;
}

/** An n-gram's display name: `'words' (role)` or `"chars" (role)`, the characters from the text padded by a space each side. */
function gramName(text: string, roleCode: number, chars: boolean, start: number, end: number): string {
  if (!chars) return `'${text.slice(start, end)}' (${ROLE_NAME[roleCode]})`;
  // `start..end` of ` ${text} `, cut from the text itself (slicing the padded copy flattened it: a copy of the whole text per name).
  const gram = start >= end ? '' : `${start === 0 ? ' ' : ''}${text.slice(Math.max(0, start - 1), Math.max(0, Math.min(text.length, end - 1)))}${end === text.length + 2 ? ' ' : ''}`;
  return `"${gram}" (${ROLE_NAME[roleCode]})`;
}

/** One message's features as `MessageRecorder` records them: where each index's first n-gram is, no closure per n-gram. */
class RecordedFeatures implements MessageFeatures {
  constructor(
    readonly index: Int32Array,
    readonly count: Float64Array,
    private readonly text: string,
    private readonly roleCode: number,
    private readonly start: Int32Array,
    private readonly end: Int32Array,
    private readonly chars: Uint8Array,
  ) {}
  nameOf(k: number): string {
    return gramName(this.text, this.roleCode, this.chars[k] === 1, this.start[k], this.end[k]);
  }
}

/** Records what `addText` gives one message (text `text`, read as `roleCode`), for `MessageFeatureMemo`. */
class MessageRecorder implements GramSink {
  private readonly slots: Slots;
  private readonly count: number[] = [];
  private readonly start: number[] = [];
  private readonly end: number[] = [];
  private readonly chars: number[] = [];
  constructor(
    readonly mask: number,
    private readonly text: string,
    private readonly roleCode: number,
  ) {
    this.slots = new Slots(mask);
  }
  gram(hash: number, chars: boolean, start: number, end: number): void {
    const index = finish(hash, this.mask);
    const at = this.slots.get(index);
    if (at >= 0) {
      this.count[at] += 1;
      return;
    }
    this.slots.open(index);
    this.count.push(1);
    this.start.push(start);
    this.end.push(end);
    this.chars.push(chars ? 1 : 0);
  }
  /** The message's features; the recorder is not used again. */
  features(): MessageFeatures {
    this.slots.release();
    // `new Int32Array(list)` copies a plain array directly (`Int32Array.from` walks it through the iterator protocol).
    return new RecordedFeatures(new Int32Array(this.slots.order), new Float64Array(this.count), this.text, this.roleCode, new Int32Array(this.start), new Int32Array(this.end), new Uint8Array(this.chars));
  }
}

/**
 * The names of a feature vector's indexes, made when read: the first thing in the target that produced each index
 * (`get`), or every one in index order (iteration).
 */
export class FeatureNames implements ReadonlyMap<number, string> {
  private readonly made: (string | undefined)[];
  constructor(
    private readonly index: Int32Array,
    private readonly makers: ((() => string) | undefined)[],
  ) {
    this.made = new Array<string | undefined>(index.length);
  }
  private at(k: number): string | undefined {
    const made = this.made[k];
    if (made !== undefined) return made;
    const maker = this.makers[k];
    return maker === undefined ? undefined : (this.made[k] = maker());
  }
  /** The position of `index` in the ascending index list, or -1. */
  private find(index: number): number {
    let lo = 0;
    let hi = this.index.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.index[mid];
      if (v === index) return mid;
      if (v < index) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
  get(index: number): string | undefined {
    const k = this.find(index);
    return k < 0 ? undefined : this.at(k);
  }
  has(index: number): boolean {
    const k = this.find(index);
    return k >= 0 && this.makers[k] !== undefined;
  }
  get size(): number {
    let n = 0;
    for (const m of this.makers) if (m !== undefined) n++;
    return n;
  }
  *entries(): MapIterator<[number, string]> {
    for (let k = 0; k < this.index.length; k++) {
      const name = this.at(k);
      if (name !== undefined) yield [this.index[k], name];
    }
  }
  *keys(): MapIterator<number> {
    for (const [index] of this.entries()) yield index;
  }
  *values(): MapIterator<string> {
    for (const [, name] of this.entries()) yield name;
  }
  [Symbol.iterator](): MapIterator<[number, string]> {
    return this.entries();
  }
  forEach(callback: (value: string, key: number, map: ReadonlyMap<number, string>) => void): void {
    for (const [index, name] of this.entries()) callback(name, index, this);
  }
}

/** What `addText` gives one message read as `roleCode`, through `memo` (by role and text: the features depend on nothing else for one model). */
export function messageFeatures(memo: MessageFeatureMemo, value: string, roleCode: number, settings: FeatureSettings): MessageFeatures {
  // Short texts are keys as they are (no need to read them again); long ones by what is read of them.
  const read = value.length > 16_384 ? readText(value, settings.max_message_chars) : null;
  // Long texts are held apart from short ones (a read text is not read the same way again).
  return memo.of(read === null ? roleCode : -roleCode, read ?? value, () => {
    const text = read ?? readText(value, settings.max_message_chars);
    const recorder = new MessageRecorder(2 ** settings.bits - 1, text, roleCode);
    if (text !== '') addText(recorder, text, roleCode, settings);
    return recorder.features();
  });
}

/** `addText` of one message through `memo`. */
function addMessage(acc: Accumulator, memo: MessageFeatureMemo, value: string, roleCode: number, settings: FeatureSettings): void {
  acc.merge(messageFeatures(memo, value, roleCode, settings));
}

/** log1p of small whole counts, looked up (the same numbers `Math.log1p` gives). */
const LOG1P = Float64Array.from({ length: 4096 }, (_, c) => Math.log1p(c));

/** `Math.log1p(count)` for a text feature's count (a whole number). */
export function log1pCount(count: number): number {
  return count < LOG1P.length && (count | 0) === count ? LOG1P[count] : Math.log1p(count);
}

const ROLE_NAME: Record<number, string> = { 117: 'user', 97: 'assistant', 116: 'tool', 115: 'system', 85: 'last user', 65: 'last assistant', 84: 'last tool', 83: 'last system' };

function addText(acc: GramSink, text: string, roleCode: number, settings: FeatureSettings): void {
  const base = mix(FNV_OFFSET, roleCode);
  if (settings.words.length) {
    const starts: number[] = [];
    const ends: number[] = [];
    for (const m of text.matchAll(WORD)) {
      starts.push(m.index);
      ends.push(m.index + m[0].length);
    }
    for (const n of settings.words) {
      for (let i = 0; i + n <= starts.length; i++) {
        let h = mix(mix(base, KIND_WORD), n);
        for (let k = 0; k < n; k++) h = mix(mixText(h, text, starts[i + k], ends[i + k]), 32);
        acc.gram(h, false, starts[i], ends[i + n - 1]);
      }
    }
  }
  if (settings.chars.length) {
    const padded = ` ${text} `;
    for (const n of settings.chars) {
      const start = mix(mix(base, KIND_CHAR), n);
      for (let i = 0; i + n <= padded.length; i++) acc.gram(mixText(start, padded, i, i + n), true, i, i + n);
    }
  }
}

function addNamed(acc: Accumulator, kind: number, name: string, value: number): void {
  if (value === 0) return;
  acc.add(mixText(mix(FNV_OFFSET, kind), name), value, () => name);
}

function addBuiltin(acc: Accumulator, target: Target): void {
  const report = reportOf(target);
  // One pass over the roles, no list of them (this runs for every span of a growing history).
  let users = 0;
  let assistants = 0;
  let tools = 0;
  let calls = 0;
  for (const m of target.messages) {
    const role = roleOf(m);
    if (role === 'user') users++;
    else if (role === 'assistant') assistants++;
    else if (role === 'tool') tools++;
    if (m.from === 'function_call') calls++;
  }
  const messages = target.messages;
  addNamed(acc, KIND_BUILTIN, 'user turns', Math.log1p(users));
  addNamed(acc, KIND_BUILTIN, 'assistant turns', Math.log1p(assistants));
  addNamed(acc, KIND_BUILTIN, 'tool calls', Math.log1p(calls));
  addNamed(acc, KIND_BUILTIN, 'tool results', Math.log1p(tools));
  addNamed(acc, KIND_BUILTIN, 'tool errors', Math.log1p(toolErrorCount(report)));
  addNamed(acc, KIND_BUILTIN, 'ends on an unanswered tool call', endsOnUnansweredToolCall(messages) ? 1 : 0);
  addNamed(acc, KIND_BUILTIN, `last role ${messages.length ? roleOf(messages[messages.length - 1]) : 'none'}`, 1);
  addNamed(acc, KIND_BUILTIN, `quality ${report.overall_quality}`, 1);
  addNamed(acc, KIND_BUILTIN, 'quality score', report.quality_score / 100);
  const types = new Map<string, number>();
  for (const s of reportSignals(report)) types.set(s.type, (types.get(s.type) ?? 0) + 1);
  for (const [type, n] of [...types].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) addNamed(acc, KIND_BUILTIN, `signal ${type}`, Math.log1p(n));
}

function addRules(acc: Accumulator, target: Target, definition: Pick<SignalDefinition, 'rules'>): void {
  if (!definition.rules) return;
  const verdict = judgeWithRules(target, definition);
  // The explanation starts with the rule's name ("NAME → label: evidence"); "no rule matched" otherwise.
  const arrow = verdict.explanation.indexOf(' → ');
  const rule = verdict.status === 'labelled' && arrow > 0 && !verdict.explanation.startsWith('no rule matched') ? verdict.explanation.slice(0, arrow) : 'no rule matched';
  addNamed(acc, KIND_RULE, `rule "${rule}"`, 1);
  addNamed(acc, KIND_RULE, `rules say ${verdict.status === 'labelled' ? verdict.label : verdict.status}`, 1);
}

/**
 * The target's hashed features: word and character n-grams of the messages of the chosen roles (each kept apart by
 * role, the last message of a role again on its own), log-scaled counts normalized to unit length, then the built-in
 * counts and the rules verdict as they are. Linear in the target: each message is read once, up to
 * `max_message_chars`, and each n-gram hashed in place.
 */
export function extractFeatures(target: Target, settings: FeatureSettings, definition: Pick<SignalDefinition, 'rules'>, named: true, memo?: MessageFeatureMemo): NamedFeatureVector;
export function extractFeatures(target: Target, settings: FeatureSettings, definition: Pick<SignalDefinition, 'rules'>, named?: false, memo?: MessageFeatureMemo): FeatureVector;
export function extractFeatures(
  target: Target,
  settings: FeatureSettings,
  definition: Pick<SignalDefinition, 'rules'>,
  named = false,
  memo?: MessageFeatureMemo,
): FeatureVector | NamedFeatureVector {
  const mask = 2 ** settings.bits - 1;
  const text = new Accumulator(mask, named);
  const lastOf = lastMessageOf(target, settings);
  target.messages.forEach((m, i) => {
    const role = roleOf(m);
    if (!settings.roles.includes(role)) return;
    const value = readValue(m);
    if (memo !== undefined) {
      // The same features as below, each message's computed once while it stays in the memo.
      addMessage(text, memo, value, ROLE_CODE[role], settings);
      if (settings.last && lastOf.get(role) === i) addMessage(text, memo, value, ROLE_CODE[role] - 32, settings);
      return;
    }
    const read = readText(value, settings.max_message_chars);
    if (read === '') return;
    addText(text.grams(read, ROLE_CODE[role]), read, ROLE_CODE[role], settings);
    if (settings.last && lastOf.get(role) === i) addText(text.grams(read, ROLE_CODE[role] - 32), read, ROLE_CODE[role] - 32, settings);
  });
  // Log-scaled counts, normalized to unit length (summed in the order the indexes were first met).
  const order = text.slots.order;
  const scaled = text.sums.map(log1pCount);
  let norm = 0;
  for (const v of scaled) norm += v * v;
  norm = Math.sqrt(norm);
  const extra = extraFeatures(target, settings, definition, named, memo, lastOf);
  // Text features over the norm, plus the extra ones (added to a text feature sharing their index).
  const extraOnly: number[] = [];
  for (const k of extra.slots.order) if (text.slots.get(k) < 0) extraOnly.push(k);
  const index = new Int32Array(order.length + extraOnly.length);
  index.set(order);
  index.set(extraOnly, order.length);
  index.sort();
  const value = new Float64Array(index.length);
  const makers: ((() => string) | undefined)[] | null = named ? new Array(index.length) : null;
  for (let p = 0; p < index.length; p++) {
    const k = index[p];
    const t = text.slots.get(k);
    const e = extra.slots.get(k);
    value[p] = t >= 0 ? (e >= 0 ? scaled[t] / norm + extra.sums[e] : scaled[t] / norm) : 0 + extra.sums[e];
    if (makers !== null) makers[p] = (t >= 0 ? text.names![t] : undefined) ?? (e >= 0 ? extra.names![e] : undefined);
  }
  text.slots.release();
  extra.slots.release();
  if (makers === null) return { index, value };
  return { index, value, names: new FeatureNames(index, makers) };
}

/** What the text features read of a message: its text, or a tool call's name only (its arguments are data, not the assistant's words). */
export function readValue(m: Target['messages'][number]): string {
  return m.from === 'function_call' ? toolName(m.value) : m.value;
}

/** Per role read, the position of its last message that is not a tool call (the one `settings.last` reads again). */
export function lastMessageOf(target: Target, settings: FeatureSettings): Map<Role, number> {
  const lastOf = new Map<Role, number>();
  target.messages.forEach((m, i) => {
    const role = roleOf(m);
    if (settings.roles.includes(role) && m.from !== 'function_call') lastOf.set(role, i);
  });
  return lastOf;
}

/**
 * The features beside the text n-grams, as they are (not normalized): the built-in counts, the rules verdict and the
 * lexicon's (see `FeatureSettings`). The caller releases the accumulator's slots.
 */
export function extraFeatures(
  target: Target,
  settings: FeatureSettings,
  definition: Pick<SignalDefinition, 'rules'>,
  named: boolean,
  memo: MessageFeatureMemo | undefined,
  lastOf: Map<Role, number>,
): Accumulator {
  // A few dozen indexes at most: a Map, not a dense table.
  const extra = new Accumulator(2 ** settings.bits - 1, named, false);
  if (settings.builtin) addBuiltin(extra, target);
  if (settings.rules) addRules(extra, target, definition);
  const lexicon = settings.lexicon && definition.rules ? lexiconOf(definition.rules) : [];
  if (lexicon.length === 0) return extra;
  // Per role read: how many of its messages match each pattern, and whether its last message does.
  const matching = new Map<Role, number[]>();
  const lastMatches = new Map<Role, boolean[]>();
  target.messages.forEach((m, i) => {
    const role = roleOf(m);
    if (!settings.roles.includes(role) || m.from === 'function_call') return;
    const cut = cutText(m.value, settings.max_message_chars);
    // Live judging (with a memo) meets a span's history again: each text's hits are found once.
    const hits = memo !== undefined ? lexiconHits(lexicon, cut) : lexicon.map((e) => e.pattern.search(cut) !== null);
    const counts = matching.get(role) ?? new Array<number>(lexicon.length).fill(0);
    hits.forEach((hit, k) => (counts[k] += hit ? 1 : 0));
    matching.set(role, counts);
    if (lastOf.get(role) === i) lastMatches.set(role, hits);
  });
  for (const role of settings.roles) {
    const counts = matching.get(role);
    if (!counts) continue;
    lexicon.forEach((e, k) => {
      addNamed(extra, KIND_LEXICON, `pattern "${e.name}" (${role})`, Math.log1p(counts[k]));
      addNamed(extra, KIND_LEXICON, `pattern "${e.name}" (last ${role})`, lastMatches.get(role)?.[k] ? 1 : 0);
    });
  }
  return extra;
}

function toolName(value: string): string {
  // `{"name": "...", "arguments": ...}` as the formats module writes it; the name is all the learned judge reads.
  const m = /^\s*\{\s*"name"\s*:\s*"([^"\\]{1,200})"/.exec(value);
  return m ? `call ${m[1]}` : 'call';
}
