// The learned judge's feature extraction as it was before its accumulator was made dense and its names lazy
// (src/custom/learned/features.ts at that time, Map-based): the oracle of src/custom/learned/features-equal.test.ts,
// which checks that the faster extraction gives the very same vectors and names.
import type { Condition, RulesSpec, SignalDefinition } from '../../src/custom/definition.js';
import type { FeatureSettings } from '../../src/custom/learned/features.js';
import { FNV_OFFSET, mix, mixText } from '../../src/custom/learned/hash.js';
import type { MessageFeatureMemo, MessageFeatures } from '../../src/custom/learned/message-features.js';
import { judgeWithRules } from '../../src/custom/rules/judge-rules.js';
import { compilePattern, type SafePattern } from '../../src/custom/rules/safe-regex.js';
import { endsOnUnansweredToolCall, reportOf, reportSignals, roleOf, toolErrorCount, type Role } from '../../src/custom/rules/features.js';
import type { Target } from '../../src/custom/types.js';

const ROLE_CODE: Record<Role, number> = { user: 117, assistant: 97, tool: 116, system: 115 };
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
function readText(text: string, max: number): string {
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

class Accumulator {
  readonly counts = new Map<number, number>();
  readonly names: Map<number, string> | null;
  constructor(
    readonly mask: number,
    named: boolean,
  ) {
    this.names = named ? new Map() : null;
  }
  add(hash: number, amount: number, name?: () => string): void {
    const index = finish(hash, this.mask);
    this.counts.set(index, (this.counts.get(index) ?? 0) + amount);
    if (this.names && name && !this.names.has(index)) this.names.set(index, name());
  }
  /** Adds what one message gave (`MessageFeatures`), as if its n-grams were added here one by one. */
  merge(m: MessageFeatures): void {
    for (let k = 0; k < m.index.length; k++) {
      const index = m.index[k];
      this.counts.set(index, (this.counts.get(index) ?? 0) + m.count[k]);
      if (this.names && !this.names.has(index)) this.names.set(index, m.nameOf(k));
    }
  }
}

/** Records what `addText` gives one message, for `MessageFeatureMemo`. */
class MessageRecorder {
  private readonly slot = new Map<number, number>();
  private readonly index: number[] = [];
  private readonly count: number[] = [];
  private readonly name: (() => string)[] = [];
  constructor(readonly mask: number) {}
  add(hash: number, amount: number, name?: () => string): void {
    const index = finish(hash, this.mask);
    const at = this.slot.get(index);
    if (at !== undefined) {
      this.count[at] += amount;
      return;
    }
    this.slot.set(index, this.index.length);
    this.index.push(index);
    this.count.push(amount);
    this.name.push(name ?? (() => `#${index}`));
  }
  features(): MessageFeatures {
    const name = this.name;
    return { index: Int32Array.from(this.index), count: Float64Array.from(this.count), nameOf: (k) => name[k]() };
  }
}

/** `addText` of one message through `memo` (by role and text: the features depend on nothing else for one model). */
function addMessage(acc: Accumulator, memo: MessageFeatureMemo, value: string, roleCode: number, settings: FeatureSettings): void {
  // Short texts are keys as they are (no need to read them again); long ones by what is read of them.
  const read = value.length > 16_384 ? readText(value, settings.max_message_chars) : null;
  acc.merge(
    memo.of(read === null ? roleCode : -roleCode, read ?? value, () => {
      const recorder = new MessageRecorder(acc.mask);
      const text = read ?? readText(value, settings.max_message_chars);
      if (text !== '') addText(recorder, text, roleCode, settings);
      return recorder.features();
    }),
  );
}

const ROLE_NAME: Record<number, string> = { 117: 'user', 97: 'assistant', 116: 'tool', 115: 'system', 85: 'last user', 65: 'last assistant', 84: 'last tool', 83: 'last system' };

function addText(acc: Pick<Accumulator, 'add'>, text: string, roleCode: number, settings: FeatureSettings): void {
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
        acc.add(h, 1, () => `'${text.slice(starts[i], ends[i + n - 1])}' (${ROLE_NAME[roleCode]})`);
      }
    }
  }
  if (settings.chars.length) {
    const padded = ` ${text} `;
    for (const n of settings.chars) {
      const start = mix(mix(base, KIND_CHAR), n);
      for (let i = 0; i + n <= padded.length; i++) acc.add(mixText(start, padded, i, i + n), 1, () => `"${padded.slice(i, i + n)}" (${ROLE_NAME[roleCode]})`);
    }
  }
}

function addNamed(acc: Accumulator, kind: number, name: string, value: number): void {
  if (value === 0) return;
  acc.add(mixText(mix(FNV_OFFSET, kind), name), value, () => name);
}

function addBuiltin(acc: Accumulator, target: Target): void {
  const report = reportOf(target);
  const roles = target.messages.map(roleOf);
  const count = (r: Role) => roles.filter((x) => x === r).length;
  addNamed(acc, KIND_BUILTIN, 'user turns', Math.log1p(count('user')));
  addNamed(acc, KIND_BUILTIN, 'assistant turns', Math.log1p(count('assistant')));
  addNamed(acc, KIND_BUILTIN, 'tool calls', Math.log1p(target.messages.filter((m) => m.from === 'function_call').length));
  addNamed(acc, KIND_BUILTIN, 'tool results', Math.log1p(count('tool')));
  addNamed(acc, KIND_BUILTIN, 'tool errors', Math.log1p(toolErrorCount(report)));
  addNamed(acc, KIND_BUILTIN, 'ends on an unanswered tool call', endsOnUnansweredToolCall(target.messages) ? 1 : 0);
  addNamed(acc, KIND_BUILTIN, `last role ${roles.length ? roles[roles.length - 1] : 'none'}`, 1);
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
export function referenceFeatures(
  target: Target,
  settings: FeatureSettings,
  definition: Pick<SignalDefinition, 'rules'>,
  named = false,
  memo?: MessageFeatureMemo,
): { index: Int32Array; value: Float64Array; names?: Map<number, string> } {
  const mask = 2 ** settings.bits - 1;
  const text = new Accumulator(mask, named);
  const lastOf = new Map<Role, number>();
  target.messages.forEach((m, i) => {
    const role = roleOf(m);
    if (settings.roles.includes(role) && m.from !== 'function_call') lastOf.set(role, i);
  });
  const lexicon = settings.lexicon && definition.rules ? lexiconOf(definition.rules) : [];
  // Per role read: how many of its messages match each pattern, and whether its last message does.
  const matching = new Map<Role, number[]>();
  const lastMatches = new Map<Role, boolean[]>();
  target.messages.forEach((m, i) => {
    const role = roleOf(m);
    if (!settings.roles.includes(role)) return;
    if (lexicon.length && m.from !== 'function_call') {
      const cut = cutText(m.value, settings.max_message_chars);
      const hits = lexicon.map((e) => e.pattern.search(cut) !== null);
      const counts = matching.get(role) ?? new Array<number>(lexicon.length).fill(0);
      hits.forEach((hit, k) => (counts[k] += hit ? 1 : 0));
      matching.set(role, counts);
      if (lastOf.get(role) === i) lastMatches.set(role, hits);
    }
    // A tool call is read by its name only: its arguments are data, not the assistant's words.
    const value = m.from === 'function_call' ? toolName(m.value) : m.value;
    if (memo !== undefined) {
      // The same features as below, each message's computed once while it stays in the memo.
      addMessage(text, memo, value, ROLE_CODE[role], settings);
      if (settings.last && lastOf.get(role) === i) addMessage(text, memo, value, ROLE_CODE[role] - 32, settings);
      return;
    }
    const read = readText(value, settings.max_message_chars);
    if (read === '') return;
    addText(text, read, ROLE_CODE[role], settings);
    if (settings.last && lastOf.get(role) === i) addText(text, read, ROLE_CODE[role] - 32, settings);
  });
  let norm = 0;
  for (const [k, c] of text.counts) {
    const v = Math.log1p(c);
    text.counts.set(k, v);
    norm += v * v;
  }
  norm = Math.sqrt(norm);
  const extra = new Accumulator(mask, named);
  if (settings.builtin) addBuiltin(extra, target);
  if (settings.rules) addRules(extra, target, definition);
  for (const role of settings.roles) {
    const counts = matching.get(role);
    if (!counts) continue;
    lexicon.forEach((e, k) => {
      addNamed(extra, KIND_LEXICON, `pattern "${e.name}" (${role})`, Math.log1p(counts[k]));
      addNamed(extra, KIND_LEXICON, `pattern "${e.name}" (last ${role})`, lastMatches.get(role)?.[k] ? 1 : 0);
    });
  }
  const merged = new Map<number, number>();
  for (const [k, v] of text.counts) merged.set(k, v / norm);
  for (const [k, v] of extra.counts) merged.set(k, (merged.get(k) ?? 0) + v);
  const index = Int32Array.from(merged.keys()).sort();
  const value = Float64Array.from(index, (k) => merged.get(k)!);
  if (!named) return { index, value };
  const names = new Map<number, string>(text.names);
  for (const [k, v] of extra.names!) if (!names.has(k)) names.set(k, v);
  return { index, value, names };
}

function toolName(value: string): string {
  // `{"name": "...", "arguments": ...}` as the formats module writes it; the name is all the learned judge reads.
  const m = /^\s*\{\s*"name"\s*:\s*"([^"\\]{1,200})"/.exec(value);
  return m ? `call ${m[1]}` : 'call';
}

/**
 * The learned judge's evidence as `predict` chose it before its names were made only for ties and shown features:
 * every pushing feature named, sorted by push then name (src/custom/learned/judge-learned.ts at that time, with
 * the model's index → position Map): the oracle of the verdict comparison in features-equal.test.ts.
 */
export function referenceEvidence(
  x: { index: Int32Array; value: Float64Array; names: ReadonlyMap<number, string> },
  loaded: { rows: number; positions: Map<number, number>; weights: Float64Array },
  best: number,
  second: number,
  evidence = 3,
): string[] {
  const pushes: { name: string; push: number }[] = [];
  for (let k = 0; k < x.index.length; k++) {
    const at = loaded.positions.get(x.index[k]);
    if (at === undefined) continue;
    const w = (r: number) => (loaded.rows === 1 ? (r === 0 ? loaded.weights[at] : 0) : loaded.weights[at * loaded.rows + r]);
    const push = (w(best) - w(second)) * x.value[k];
    if (push > 0) pushes.push({ name: x.names.get(x.index[k]) ?? `#${x.index[k]}`, push });
  }
  pushes.sort((a, b) => b.push - a.push || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const shown: string[] = [];
  const seen = new Set<string>();
  for (const chars of [false, true]) {
    if (chars && shown.length > 0) break;
    for (const { name } of pushes) {
      if (shown.length >= evidence) break;
      if (name.startsWith('"') !== chars) continue;
      const plain = name.replace(/ \(last (\w+)\)$/, ' ($1)');
      if (seen.has(plain)) continue;
      seen.add(plain);
      shown.push(plain.length > 60 ? `${plain.slice(0, 59)}…` : plain);
    }
  }
  return shown;
}
