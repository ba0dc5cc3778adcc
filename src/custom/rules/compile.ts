import type { Condition, RulesSpec } from '../definition.js';
import type { Target } from '../types.js';
import { compileExpr, ExprError } from './expr.js';
import { roleOf, type Role } from './features.js';
import { type MessageFindings, MessageMemo } from './message-memo.js';
import { BUILTIN_LISTS, builtinList, PhraseBook, prepareMessage } from './phrases.js';
import { compilePattern, PatternError, type SafePattern } from './safe-regex.js';

/** A problem found while compiling rules, with its path inside `rules`. */
export interface RuleProblem {
  path: (string | number)[];
  message: string;
}

/** Rules that failed to compile. */
export class RulesError extends Error {
  constructor(readonly problems: RuleProblem[]) {
    super(problems.map((p) => `rules.${p.path.join('.')}: ${p.message}`).join('\n'));
    this.name = 'RulesError';
  }
}

/** The outcome of one condition on one target, with the evidence for the explanation. */
export interface Outcome {
  value: boolean;
  evidence: string;
}

/** Per-target caches shared by every condition of one evaluation (each message is looked up once). */
export class Evaluation {
  private readonly findings: MessageFindings[] = [];
  constructor(
    readonly target: Target,
    readonly book: PhraseBook,
    private readonly memo: MessageMemo = new MessageMemo(0),
  ) {}

  private findingsOf(index: number): MessageFindings {
    return (this.findings[index] ??= this.memo.of(this.target.messages[index].value));
  }

  phraseHits(index: number, fuzzy: boolean): (string | undefined)[] {
    const f = this.findingsOf(index);
    const kind = fuzzy ? 'fuzzy' : 'exact';
    return (f[kind] ??= this.book.match(prepareMessage(this.target.messages[index].value), fuzzy));
  }

  /** The text pattern `slot` matches in message `index`, or null. */
  patternMatch(index: number, slot: number, pattern: SafePattern): string | null {
    const f = this.findingsOf(index);
    let found = f.patterns[slot];
    if (found === undefined) found = f.patterns[slot] = pattern.search(this.target.messages[index].value)?.text ?? null;
    return found;
  }
}

/** A compiled condition. */
export type CompiledCondition = (ev: Evaluation) => Outcome;

const clip = (text: string, max = 80): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The message indexes a text condition looks at. */
function selectMessages(target: Target, role: Role | 'any', where: 'any' | 'first' | 'last'): number[] {
  const picked: number[] = [];
  target.messages.forEach((m, i) => {
    if (role === 'any' || roleOf(m) === role) picked.push(i);
  });
  if (where === 'first') return picked.slice(0, 1);
  if (where === 'last') return picked.slice(-1);
  return picked;
}

const describeRole = (role: Role | 'any', where: string): string =>
  `${where === 'any' ? '' : `${where} `}${role === 'any' ? 'message' : `${role} message`}`;

class RulesCompiler {
  readonly problems: RuleProblem[] = [];
  readonly lists = new Map<string, readonly string[]>();
  private inline = 0;
  /** Pattern conditions compiled so far: each gets a slot in a message's findings. */
  patterns = 0;

  constructor(spec: RulesSpec) {
    for (const [name, phrases] of Object.entries(spec.lists ?? {})) this.lists.set(name, phrases);
  }

  condition(c: Condition, path: (string | number)[]): CompiledCondition {
    if (c.any) {
      const parts = c.any.map((x, i) => this.condition(x, [...path, 'any', i]));
      return (ev) => {
        for (const part of parts) {
          const o = part(ev);
          if (o.value) return o;
        }
        return { value: false, evidence: 'none of the alternatives held' };
      };
    }
    if (c.all) {
      const parts = c.all.map((x, i) => this.condition(x, [...path, 'all', i]));
      return (ev) => {
        const evidence: string[] = [];
        for (const part of parts) {
          const o = part(ev);
          if (!o.value) return { value: false, evidence: o.evidence };
          evidence.push(o.evidence);
        }
        return { value: true, evidence: evidence.join('; ') };
      };
    }
    if (c.not) {
      const inner = this.condition(c.not, [...path, 'not']);
      return (ev) => {
        const o = inner(ev);
        return { value: !o.value, evidence: o.value ? `not: ${o.evidence}` : `not (${o.evidence})` };
      };
    }
    if (c.expr !== undefined) return this.expr(c.expr, [...path, 'expr']);
    const role = c.role ?? 'user';
    const where = c.where ?? 'any';
    const min = c.min ?? 1;
    if (c.pattern !== undefined) return this.pattern(c.pattern, c.case_sensitive ?? false, role, where, min, [...path, 'pattern']);
    if (c.phrases !== undefined) return this.phrases(c.phrases, c.fuzzy ?? false, role, where, min, [...path, 'phrases']);
    this.problems.push({ path, message: 'empty condition' });
    return () => ({ value: false, evidence: '' });
  }

  private expr(source: string, path: (string | number)[]): CompiledCondition {
    try {
      const compiled = compileExpr(source);
      return (ev) => {
        const r = compiled.test(ev.target);
        return { value: r.value, evidence: `${source} (${r.detail})` };
      };
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      this.problems.push({ path, message: e.message });
      return () => ({ value: false, evidence: '' });
    }
  }

  private pattern(source: string, caseSensitive: boolean, role: Role | 'any', where: 'any' | 'first' | 'last', min: number, path: (string | number)[]): CompiledCondition {
    let compiled: SafePattern;
    try {
      compiled = compilePattern(source, { caseSensitive });
    } catch (e) {
      if (!(e instanceof PatternError)) throw e;
      this.problems.push({ path, message: e.message });
      return () => ({ value: false, evidence: '' });
    }
    const slot = this.patterns++;
    return (ev) => {
      const found: string[] = [];
      for (const i of selectMessages(ev.target, role, where)) {
        const m = ev.patternMatch(i, slot, compiled);
        if (m !== null) {
          found.push(`message ${i} (${roleOf(ev.target.messages[i])}) matches /${clip(source, 40)}/: "${clip(m)}"`);
          if (found.length >= min) return { value: true, evidence: found.join('; ') };
        }
      }
      return { value: false, evidence: `no ${describeRole(role, where)} matches /${clip(source, 40)}/${min > 1 ? ` ${min} times` : ''}` };
    };
  }

  private phrases(phrases: string[] | string, fuzzy: boolean, role: Role | 'any', where: 'any' | 'first' | 'last', min: number, path: (string | number)[]): CompiledCondition {
    let name: string;
    if (typeof phrases === 'string') {
      name = phrases;
      if (!this.lists.has(name)) {
        const builtin = builtinList(name);
        if (!builtin) {
          const known = [...this.lists.keys()].filter((k) => !k.startsWith('#'));
          this.problems.push({ path, message: `no phrase list "${name}" (rules.lists has ${known.length ? known.join(', ') : 'none'}; built-in: ${BUILTIN_LISTS.join(', ')})` });
          return () => ({ value: false, evidence: '' });
        }
        this.lists.set(name, builtin);
      }
    } else {
      name = `#${this.inline++}`;
      this.lists.set(name, phrases);
    }
    const label = typeof phrases === 'string' ? `list "${name}"` : 'the phrases';
    return (ev) => {
      const slot = ev.book.slot(name);
      const found: string[] = [];
      for (const i of selectMessages(ev.target, role, where)) {
        const hit = ev.phraseHits(i, fuzzy)[slot];
        if (hit !== undefined) {
          found.push(`message ${i} (${roleOf(ev.target.messages[i])}) has "${hit}"`);
          if (found.length >= min) return { value: true, evidence: found.join('; ') };
        }
      }
      return { value: false, evidence: `no ${describeRole(role, where)} has ${label}${min > 1 ? ` ${min} times` : ''}` };
    };
  }
}

/** Rules compiled once per definition. */
export interface CompiledRules {
  book: PhraseBook;
  /** Findings per message text, shared by every target this judge sees (see MessageMemo). */
  memo: MessageMemo;
  rules: { label: string; name: string; test: CompiledCondition }[];
  default: string;
}

/** Compiles a rules spec, or returns every problem (paths inside `rules`). */
export function tryCompileRules(spec: RulesSpec): { ok: true; rules: CompiledRules } | { ok: false; problems: RuleProblem[] } {
  const compiler = new RulesCompiler(spec);
  const rules = spec.when.map((r, i) => ({ label: r.label, name: r.name ?? `rule ${i + 1}`, test: compiler.condition(r.if, ['when', i, 'if']) }));
  let book: PhraseBook | undefined;
  try {
    book = new PhraseBook(compiler.lists);
  } catch (e) {
    compiler.problems.push({ path: ['lists'], message: (e as Error).message });
  }
  if (compiler.problems.length || !book) return { ok: false, problems: compiler.problems };
  return { ok: true, rules: { book, memo: new MessageMemo(), rules, default: spec.default } };
}

/** Compiles a rules spec or throws `RulesError`. */
export function compileRules(spec: RulesSpec): CompiledRules {
  const result = tryCompileRules(spec);
  if (!result.ok) throw new RulesError(result.problems);
  return result.rules;
}
