import type { Target } from '../types.js';
import { endsOnUnansweredToolCall, globMatcher, reportOf, reportSignals, roleOf, toolErrorCount, type Role } from './features.js';

/**
 * Expressions over the built-in report and simple features, e.g. `count("interaction.disengagement.*") >= 1`,
 * `quality in ["poor", "severe"]`, `turns > 3 and tool_errors == 0`. Parsed once, evaluated in time linear in
 * the target (features are computed once per target and cached).
 */

type Value = number | string | boolean;

/** An expression that cannot be parsed, with the offending position. */
export class ExprError extends Error {
  constructor(
    readonly source: string,
    readonly position: number,
    reason: string,
  ) {
    // A long expression is quoted around the position only, so the error stays readable and small.
    const shown = source.length <= 120 ? source : `${position > 40 ? '…' : ''}${source.slice(Math.max(0, position - 40), position + 40)}…`;
    super(`expression "${shown}" at ${position}: ${reason}`);
    this.name = 'ExprError';
  }
}

/** The names an expression may read, with what they mean (also the help text of the README). */
export const FEATURES: Record<string, string> = {
  turns: 'user messages',
  user_turns: 'user messages',
  assistant_turns: 'assistant messages (text replies and tool calls)',
  messages: 'all rows',
  tool_calls: 'tool calls',
  tool_results: 'tool results',
  tool_errors: 'tool results the built-in detectors flag (execution failure or environment exhaustion)',
  ends_on_unanswered_tool_call: 'the last row is a tool call with no result',
  last_role: '"user", "assistant", "tool" or "system": who wrote the last row',
  quality: 'the built-in overall quality: excellent, good, neutral, poor, severe',
  score: 'the built-in quality score (0-100)',
  signals: 'number of built-in signals',
};

/** Functions: `count(glob)` signals of matching type, `chars(role)` text length of a role's messages. */
export const FUNCTIONS = ['count', 'chars'] as const;

type Ast =
  | { k: 'lit'; v: Value }
  | { k: 'feat'; name: string }
  | { k: 'call'; fn: (typeof FUNCTIONS)[number]; arg: string }
  | { k: 'cmp'; op: string; a: Ast; b: Ast }
  | { k: 'in'; a: Ast; list: Value[] }
  | { k: 'and' | 'or'; a: Ast; b: Ast }
  | { k: 'not'; a: Ast };

type Token = { t: 'num'; v: number; at: number } | { t: 'str'; v: string; at: number } | { t: 'id'; v: string; at: number } | { t: 'op'; v: string; at: number };

function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\d+(\.\d+)?/.exec(rest))) out.push({ t: 'num', v: Number(m[0]), at: i });
    else if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) out.push({ t: 'id', v: m[0], at: i });
    else if ((m = /^(>=|<=|==|!=|>|<|\(|\)|\[|\]|,)/.exec(rest))) out.push({ t: 'op', v: m[0], at: i });
    else if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new ExprError(src, i, 'unterminated string');
      out.push({ t: 'str', v: src.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    } else throw new ExprError(src, i, `unexpected "${c}"`);
    i += m[0].length;
  }
  return out;
}

/** Deepest nesting of parentheses and `not` an expression may have, so parsing and evaluating stay off the stack's limit. */
export const MAX_EXPR_DEPTH = 64;
/** Most tokens an expression may have (a long `a or b or …` chain nests as deep as it is long). */
export const MAX_EXPR_TOKENS = 1_000;

class ExprParser {
  private p = 0;
  private depth = 0;
  constructor(
    private readonly src: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.p];
  }
  private fail(reason: string): never {
    throw new ExprError(this.src, this.peek()?.at ?? this.src.length, reason);
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t !== undefined && t.t === 'op' && t.v === v;
  }
  private isWord(v: string): boolean {
    const t = this.peek();
    return t !== undefined && t.t === 'id' && t.v === v;
  }
  private expectOp(v: string): void {
    if (!this.isOp(v)) this.fail(`expected "${v}"`);
    this.p++;
  }

  parse(): Ast {
    if (this.tokens.length === 0) this.fail('empty expression');
    if (this.tokens.length > MAX_EXPR_TOKENS) {
      throw new ExprError(this.src, this.tokens[MAX_EXPR_TOKENS].at, `too long: at most ${MAX_EXPR_TOKENS} names, numbers and operators`);
    }
    const ast = this.or();
    if (this.p < this.tokens.length) this.fail(`unexpected "${this.tokens[this.p].v}"`);
    return ast;
  }
  private or(): Ast {
    let a = this.and();
    while (this.isWord('or')) {
      this.p++;
      a = { k: 'or', a, b: this.and() };
    }
    return a;
  }
  private and(): Ast {
    let a = this.unary();
    while (this.isWord('and')) {
      this.p++;
      a = { k: 'and', a, b: this.unary() };
    }
    return a;
  }
  private unary(): Ast {
    if (this.isWord('not')) {
      this.enter();
      this.p++;
      const a = this.unary();
      this.depth--;
      return { k: 'not', a };
    }
    return this.comparison();
  }
  private enter(): void {
    if (++this.depth > MAX_EXPR_DEPTH) this.fail(`nested too deeply: at most ${MAX_EXPR_DEPTH} levels of parentheses and "not"`);
  }
  private comparison(): Ast {
    const a = this.operand();
    const t = this.peek();
    if (t?.t === 'op' && ['>=', '<=', '==', '!=', '>', '<'].includes(t.v)) {
      this.p++;
      return { k: 'cmp', op: t.v, a, b: this.operand() };
    }
    if (this.isWord('in')) {
      this.p++;
      this.expectOp('[');
      const list: Value[] = [];
      while (!this.isOp(']')) {
        const item = this.operand();
        if (item.k !== 'lit') this.fail('a list holds literal strings or numbers');
        list.push(item.v);
        if (!this.isOp(']')) this.expectOp(',');
      }
      this.p++;
      return { k: 'in', a, list };
    }
    return a;
  }
  private operand(): Ast {
    const t = this.peek();
    if (!t) this.fail('expression ends too early');
    if (t.t === 'op' && t.v === '(') {
      this.enter();
      this.p++;
      const inner = this.or();
      this.expectOp(')');
      this.depth--;
      return inner;
    }
    this.p++;
    if (t.t === 'num' || t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'id') {
      if (t.v === 'true' || t.v === 'false') return { k: 'lit', v: t.v === 'true' };
      if ((FUNCTIONS as readonly string[]).includes(t.v)) {
        this.expectOp('(');
        const arg = this.peek();
        if (arg?.t !== 'str') this.fail(`${t.v}() takes one quoted string`);
        this.p++;
        this.expectOp(')');
        if (t.v === 'chars' && !['user', 'assistant', 'tool', 'system', 'any'].includes(arg.v)) {
          throw new ExprError(this.src, arg.at, 'chars() takes "user", "assistant", "tool", "system" or "any"');
        }
        return { k: 'call', fn: t.v as (typeof FUNCTIONS)[number], arg: arg.v };
      }
      if (t.v in FEATURES) return { k: 'feat', name: t.v };
      throw new ExprError(this.src, t.at, `unknown name "${t.v}" (known: ${[...Object.keys(FEATURES), ...FUNCTIONS.map((f) => `${f}()`)].join(', ')})`);
    }
    throw new ExprError(this.src, t.at, `unexpected "${t.v}"`);
  }
}

/** A parsed expression: `test` evaluates it on a target and says what the values were. */
export interface CompiledExpr {
  readonly source: string;
  test(target: Target): { value: boolean; detail: string };
}

function feature(target: Target, name: string): Value {
  const msgs = target.messages;
  const roles = msgs.map(roleOf);
  switch (name) {
    case 'turns':
    case 'user_turns':
      return roles.filter((r) => r === 'user').length;
    case 'assistant_turns':
      return roles.filter((r) => r === 'assistant').length;
    case 'messages':
      return msgs.length;
    case 'tool_calls':
      return msgs.filter((m) => m.from === 'function_call').length;
    case 'tool_results':
      return roles.filter((r) => r === 'tool').length;
    case 'tool_errors':
      return toolErrorCount(reportOf(target));
    case 'ends_on_unanswered_tool_call':
      return endsOnUnansweredToolCall(msgs);
    case 'last_role':
      return roles.length ? roles[roles.length - 1] : 'system';
    case 'quality':
      return reportOf(target).overall_quality;
    case 'score':
      return reportOf(target).quality_score;
    case 'signals':
      return reportSignals(reportOf(target)).length;
  }
  throw new Error(`unknown feature ${name}`);
}

function evaluate(ast: Ast, target: Target, seen: string[]): Value {
  switch (ast.k) {
    case 'lit':
      return ast.v;
    case 'feat': {
      const v = feature(target, ast.name);
      seen.push(`${ast.name}=${JSON.stringify(v)}`);
      return v;
    }
    case 'call': {
      let v: number;
      if (ast.fn === 'count') {
        const match = globMatcher(ast.arg);
        v = reportSignals(reportOf(target)).filter((s) => match(s.type)).length;
      } else {
        const role = ast.arg as Role | 'any';
        v = target.messages.filter((m) => role === 'any' || roleOf(m) === role).reduce((n, m) => n + m.value.length, 0);
      }
      seen.push(`${ast.fn}("${ast.arg}")=${v}`);
      return v;
    }
    case 'cmp': {
      const a = evaluate(ast.a, target, seen);
      const b = evaluate(ast.b, target, seen);
      switch (ast.op) {
        case '==':
          return a === b;
        case '!=':
          return a !== b;
        case '>=':
          return a >= b;
        case '<=':
          return a <= b;
        case '>':
          return a > b;
        default:
          return a < b;
      }
    }
    case 'in': {
      const a = evaluate(ast.a, target, seen);
      return ast.list.includes(a);
    }
    case 'and':
      return truthy(evaluate(ast.a, target, seen)) && truthy(evaluate(ast.b, target, seen));
    case 'or':
      return truthy(evaluate(ast.a, target, seen)) || truthy(evaluate(ast.b, target, seen));
    case 'not':
      return !truthy(evaluate(ast.a, target, seen));
  }
}

function truthy(v: Value): boolean {
  return typeof v === 'number' ? v !== 0 : Boolean(v);
}

/** Parses an expression; throws `ExprError` naming the position and the known names. */
export function compileExpr(source: string): CompiledExpr {
  const ast = new ExprParser(source, lex(source)).parse();
  return {
    source,
    test(target) {
      const seen: string[] = [];
      const value = truthy(evaluate(ast, target, seen));
      return { value, detail: [...new Set(seen)].join(', ') };
    },
  };
}
