import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfig, parseDefinition, validateConfig, validateDefinition } from './config.js';
import { labelNames, versionChangeProblem } from './definition.js';

const binary = {
  name: 'frustration',
  scope: 'session',
  type: 'binary',
  prompt: 'Is the user frustrated?',
  judge: 'rules',
  rules: { when: [{ label: 'yes', if: { phrases: ['this is useless'] } }], default: 'no' },
};

function problems(input: unknown): string[] {
  const r = validateDefinition(input);
  return r.ok ? [] : r.problems.map(formatProblem);
}

describe('signal definition', () => {
  it('accepts a minimal binary definition and applies defaults', () => {
    const d = parseDefinition(binary);
    expect(d.agent).toBe('*');
    expect(d.sample_rate).toBe(1);
    expect(labelNames(d)).toEqual(['yes', 'no']);
  });

  it("takes one agent's name or '*' as its agent, and patterns only in filter.agent", () => {
    expect(parseDefinition({ ...binary, agent: 'shop-eu' }).agent).toBe('shop-eu');
    expect(parseDefinition({ ...binary, agent: '*' }).agent).toBe('*');
    // Signals are picked by their agent's exact name: a pattern would label nothing, so it is refused with the way.
    const refused = 'agent: one agent\'s name, or "*" for every agent; to cover agents by a pattern, set agent: "*" and filter.agent: the pattern';
    expect(problems({ ...binary, agent: 'shop-*' })).toEqual([refused]);
    expect(problems({ ...binary, agent: '**' })).toEqual([refused]);
    expect(problems({ ...binary, agent: '' })).toEqual([refused]);
    // Written as agents' names are stored: a look-alike (zero-width, bidi, odd white space, not NFKC) names no agent.
    for (const agent of ['shop\u200b', '\u202eshop', ' shop', 'cafe\u0301', '\uff53hop']) {
      expect(problems({ ...binary, agent }), JSON.stringify(agent)).toEqual([expect.stringMatching(/^agent: the agent's name .* holds invisible characters, white space at an end or repeated, or compatibility characters \(full-width, ligatures; it is not in Unicode NFKC form\): agents are stored as "(shop|café)"/)]);
    }
    // Letters of scripts drawn alike read as another agent's name.
    expect(problems({ ...binary, agent: 'p\u0430ypal' })).toEqual(["agent: the agent's name p\\u0430ypal mixes Latin and Cyrillic letters, which are drawn alike: it would read as another agent's name; write it in one script"]);
    expect(problems({ ...binary, agent: '*', filter: { agent: 'shop-*' } })).toEqual([]);
  });

  it('needs 2 to 10 distinct labels for a labels signal', () => {
    const base = { ...binary, type: 'labels', rules: { when: [{ label: 'a', if: { expr: 'turns >= 1' } }], default: 'a' } };
    expect(problems({ ...base, labels: [{ name: 'a' }] })).toEqual(['labels: need 2 to 10 labels']);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `l${i}` }));
    expect(problems({ ...base, labels: [{ name: 'a' }, ...eleven.slice(1)] })).toEqual(['labels: need 2 to 10 labels']);
    expect(problems({ ...base, labels: [{ name: 'a' }, { name: 'a' }] })).toEqual(['labels[1].name: duplicate label "a"']);
    expect(problems({ ...base, labels: [{ name: 'a', description: 'when A' }, { name: 'b' }] })).toEqual([]);
  });

  it('reports one problem per mistake, each with its path', () => {
    const out = problems({
      name: 'Bad Name',
      scope: 'conversation',
      type: 'binary',
      prompt: ' ',
      judge: 'rules-then-llm',
      sample_rate: 0,
      rules: { when: [{ label: 'maybe', if: {} }], default: 'no' },
      colour: 'red',
    });
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name: use 1 to 64 lowercase/),
        expect.stringMatching(/^scope: /),
        'prompt: the prompt is required',
        'sample_rate: must be above 0',
        'rules.when[0].if: a condition needs one of any, all, not, phrases, pattern, expr',
        expect.stringMatching(/unknown field "colour"/),
      ]),
    );
  });

  it('checks the judge against its sections and rule labels against the signal', () => {
    // judge llm without an llm section uses the operator's default provider.
    expect(problems({ ...binary, judge: 'llm', rules: undefined })).toEqual([]);
    expect(problems({ ...binary, rules: undefined })).toEqual(['rules: judge "rules" needs rules']);
    expect(problems({ ...binary, rules: { when: [{ label: 'maybe', if: { expr: 'turns > 2' } }], default: 'undecided' } })).toEqual([
      'rules.when[0].label: "maybe" is not a label of this signal (yes, no)',
    ]);
    expect(problems({ ...binary, labels: [{ name: 'x' }, { name: 'y' }] })).toEqual([
      'labels: a binary signal has no labels (its labels are yes and no)',
    ]);
  });

  it('validates the llm section: a provider and a model, never a URL or a key variable', () => {
    const llm = { provider: 'openai', model: 'm', max_usd_per_day: 5 };
    expect(problems({ ...binary, judge: 'rules-then-llm', llm })).toEqual([]);
    expect(problems({ ...binary, judge: 'llm', llm: { provider: 'Not A Name' } })).toEqual([
      'llm.provider: a provider name (see GET /v1/providers or signals providers)',
    ]);
    const owned = 'a signal names a provider (llm.provider) and may pick a model; URLs and keys are configured by the operator (GET /v1/providers)';
    expect(problems({ ...binary, judge: 'llm', llm: { base_url: 'https://evil.example/v1', api_key_env: 'SIGNALS_API_TOKEN' } })).toEqual([
      `llm.base_url: ${owned}`,
      `llm.api_key_env: ${owned}`,
    ]);
    expect(problems({ ...binary, judge: 'llm', llm: { price_per_1k_input: 1 } })).toEqual([
      "llm.price_per_1k_input: price_per_1k_input is a setting of the operator's provider, not of a signal",
    ]);
  });

  it('rejects a condition with two kinds', () => {
    expect(problems({ ...binary, rules: { when: [{ label: 'yes', if: { phrases: ['x'], expr: 'turns > 1' } }], default: 'no' } })).toEqual([
      'rules.when[0].if: a condition has exactly one of any, all, not, phrases, pattern, expr, got phrases and expr',
    ]);
  });

  it('keeps the scope fixed across versions', () => {
    const a = parseDefinition(binary);
    expect(versionChangeProblem(a, { ...a, prompt: 'new prompt' })).toBeNull();
    expect(versionChangeProblem(a, { ...a, scope: 'trace' })).toMatch(/scope is fixed once created/);
  });
});

describe('config file', () => {
  it('reads YAML with signals and keeps alerts as written', () => {
    const config = loadConfig(
      [
        'signals:',
        '  - name: frustration',
        '    scope: session',
        '    type: binary',
        '    prompt: Is the user frustrated?',
        '    rules:',
        '      when:',
        '        - label: "yes"',
        '          if: { phrases: [this is useless] }',
        '      default: "no"',
        'alerts:',
        '  - { name: a1, signal: frustration, metric: true_rate, comparison: above, threshold: 0.3, window: 1h }',
      ].join('\n'),
    );
    expect(config.signals[0].name).toBe('frustration');
    expect(config.alerts).toEqual([{ name: 'a1', signal: 'frustration', metric: 'true_rate', comparison: 'above', threshold: 0.3, window: '1h' }]);
  });

  it('reads JSON too', () => {
    expect(loadConfig(JSON.stringify({ signals: [binary] }), 'signals.config.json').signals).toHaveLength(1);
  });

  it('paths problems under signals[i] and names the file', () => {
    const r = validateConfig({ signals: [binary, binary, { ...binary, name: 'x', type: 'labels', labels: [] }] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map(formatProblem)).toEqual(
      expect.arrayContaining(['signals[1].name: duplicate signal name "frustration" (also signals[0])', 'signals[2].labels: need 2 to 10 labels']),
    );
    expect(() => loadConfig('signals: [ {', 'my.yaml')).toThrow(/^my\.yaml: invalid signal definition:\nnot valid YAML/);
  });
});
