import { describe, expect, it } from 'vitest';
import { parseDefinition, validateDefinition } from '../config.js';
import type { Target } from '../types.js';
import { judgeWithRules } from './judge-rules.js';

const target = (rows: [string, string][]): Target => ({
  kind: 'session',
  id: 't1',
  agent: 'support',
  messages: rows.map(([from, value]) => ({ from, value })),
  meta: {},
});

const signal = (rules: unknown, extra: Record<string, unknown> = {}) =>
  parseDefinition({ name: 's', scope: 'session', type: 'binary', prompt: 'p', rules, ...extra });

const convo = target([
  ['human', 'Book me a flight to Oslo'],
  ['function_call', '{"name":"search","arguments":{"to":"OSL"}}'],
  ['observation', 'Error: 500 Internal Server Error'],
  ['gpt', 'Sorry, I cannot do that right now.'],
  ['human', 'This is useless. Forget it.'],
]);

describe('rules judge', () => {
  it('matches phrase lists on whole words and names the message and words', () => {
    const v = judgeWithRules(convo, signal({ when: [{ label: 'yes', if: { phrases: ['this is useless', 'waste of time'] } }], default: 'no' }));
    expect(v).toMatchObject({ status: 'labelled', label: 'yes', judge: 'rules' });
    expect(v.explanation).toBe('rule 1 → yes: message 4 (user) has "this is useless"');
    expect(v.cost).toEqual({ requests: 0, inputTokens: 0, outputTokens: 0, usd: 0 });
    const none = judgeWithRules(convo, signal({ when: [{ label: 'yes', if: { phrases: ['useles'] } }], default: 'no' }));
    expect(none).toMatchObject({ label: 'no', explanation: 'no rule matched → default no' });
  });

  it('looks only at the chosen role and message', () => {
    const sorry = { phrases: ['sorry'] };
    expect(judgeWithRules(convo, signal({ when: [{ label: 'yes', if: sorry }], default: 'no' })).label).toBe('no');
    expect(judgeWithRules(convo, signal({ when: [{ label: 'yes', if: { ...sorry, role: 'assistant' } }], default: 'no' })).label).toBe('yes');
    const firstUser = { phrases: ['forget it'], role: 'user', where: 'first' };
    expect(judgeWithRules(convo, signal({ when: [{ label: 'yes', if: firstUser }], default: 'no' })).label).toBe('no');
    expect(judgeWithRules(convo, signal({ when: [{ label: 'yes', if: { ...firstUser, where: 'last' } }], default: 'no' })).label).toBe('yes');
    const tool = { pattern: '\\b5\\d\\d\\b', role: 'tool' };
    expect(judgeWithRules(convo, signal({ when: [{ label: 'yes', if: tool }], default: 'no' })).explanation).toBe(
      'rule 1 → yes: message 2 (tool) matches /\\b5\\d\\d\\b/: "500"',
    );
  });

  it('uses named lists, built-in lists, min counts and fuzzy matching', () => {
    const rules = { lists: { giveup: ['forget it', 'never mind'] }, when: [{ label: 'yes', if: { phrases: 'giveup' } }], default: 'no' };
    expect(judgeWithRules(convo, signal(rules)).label).toBe('yes');
    expect(judgeWithRules(convo, signal({ when: [{ label: 'yes', if: { phrases: 'builtin:quit' } }], default: 'no' })).label).toBe('yes');
    const twice = { when: [{ label: 'yes', if: { pattern: 'o', min: 2 } }], default: 'no' };
    expect(judgeWithRules(convo, signal(twice)).explanation).toMatch(/message 0 .*; message 4/);
    const typo = target([['human', 'this is uselss']]);
    const exact = { when: [{ label: 'yes', if: { phrases: ['this is useless'] } }], default: 'no' };
    expect(judgeWithRules(typo, signal(exact)).label).toBe('no');
    expect(judgeWithRules(typo, signal({ when: [{ label: 'yes', if: { phrases: ['this is useless'], fuzzy: true } }], default: 'no' })).label).toBe('yes');
  });

  it('evaluates expressions over the built-in report and features', () => {
    const at = (expr: string) => judgeWithRules(convo, signal({ when: [{ label: 'yes', if: { expr } }], default: 'no' }));
    expect(at('count("interaction.disengagement.*") >= 1').label).toBe('yes');
    expect(at('count("interaction.satisfaction.*") >= 1').label).toBe('no');
    expect(at('turns == 2 and tool_calls == 1 and tool_results == 1').label).toBe('yes');
    expect(at('tool_errors >= 1').explanation).toBe('rule 1 → yes: tool_errors >= 1 (tool_errors=1)');
    expect(at('quality in ["poor", "severe"] or score < 50').label).toBe('yes');
    expect(at('last_role == "user" and not ends_on_unanswered_tool_call').label).toBe('yes');
    expect(at('chars("assistant") > 1000').label).toBe('no');
    const pending = target([['human', 'hi'], ['function_call', '{"name":"x"}']]);
    expect(judgeWithRules(pending, signal({ when: [{ label: 'yes', if: { expr: 'ends_on_unanswered_tool_call' } }], default: 'no' })).label).toBe('yes');
  });

  it('combines with any / all / not and explains each part', () => {
    const rules = {
      when: [
        {
          name: 'gave up after a tool error',
          label: 'yes',
          if: { all: [{ expr: 'tool_errors >= 1' }, { any: [{ phrases: ['forget it'] }, { phrases: ['cancel'] }] }, { not: { phrases: ['thanks'] } }] },
        },
      ],
      default: 'no',
    };
    expect(judgeWithRules(convo, signal(rules)).explanation).toBe(
      'gave up after a tool error → yes: tool_errors >= 1 (tool_errors=1); message 4 (user) has "forget it"; not (no user message has the phrases)',
    );
  });

  it('labels signals: first matching rule wins, else the default, or undecided', () => {
    const def = parseDefinition({
      name: 'outcome',
      scope: 'session',
      type: 'labels',
      labels: [{ name: 'completed' }, { name: 'failed' }, { name: 'abandoned' }],
      prompt: 'p',
      rules: {
        when: [
          { label: 'abandoned', if: { phrases: ['forget it'] } },
          { label: 'failed', if: { expr: 'tool_errors >= 1' } },
        ],
        default: 'undecided',
      },
    });
    expect(judgeWithRules(convo, def).label).toBe('abandoned');
    const calm = target([['human', 'hello'], ['gpt', 'hi']]);
    expect(judgeWithRules(calm, def)).toMatchObject({ status: 'undecided', label: null, explanation: 'no rule matched' });
  });

  it('rejects bad patterns, expressions and list names at validation, with paths', () => {
    const r = validateDefinition({
      name: 's',
      scope: 'span',
      type: 'binary',
      prompt: 'p',
      rules: {
        when: [
          { label: 'yes', if: { any: [{ pattern: '(a+)\\1' }, { expr: 'count("x") >=' }] } },
          { label: 'no', if: { phrases: 'nope' } },
          { label: 'yes', if: { expr: 'mood == "sad"' } },
        ],
        default: 'no',
      },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'rules.when[0].if.any[0].pattern: pattern /(a+)\\1/ at 4: backreference \\1 cannot run in linear time and is not supported',
      'rules.when[0].if.any[1].expr: expression "count("x") >=" at 13: expression ends too early',
      expect.stringMatching(/^rules\.when\[1\]\.if\.phrases: no phrase list "nope" \(rules\.lists has none; built-in: builtin:correction/),
      expect.stringMatching(/^rules\.when\[2\]\.if\.expr: expression "mood == "sad"" at 0: unknown name "mood" \(known: turns/),
    ]);
    const ascii = validateDefinition({ name: 's', scope: 'span', type: 'binary', prompt: 'p', rules: { when: [{ label: 'yes', if: { phrases: ['café'] } }], default: 'no' } });
    expect(ascii.ok ? [] : ascii.problems.map((p) => p.path)).toEqual(['rules.lists']);
  });
});
