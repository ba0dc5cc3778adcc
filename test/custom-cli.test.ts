import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/custom/config.js';
import { templateById } from '../src/custom/templates/index.js';
import { signals as builtCli } from './helpers/built-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'custom-cli-'));
/** The built CLI run in `cwd` (default: the test's directory, where `init` writes). */
const signals = (args: string[], cwd = dir) => builtCli(args, undefined, { cwd });


// Hand-written conversations with labels, OpenAI chat shape.
const rows = [
  { id: 'r1', meta: { refused: true, mood: 'negative' }, messages: [{ role: 'user', content: 'Pick a lock?' }, { role: 'assistant', content: "I'm sorry, but I can't help with that." }] },
  { id: 'r2', meta: { refused: true, mood: 'neutral' }, messages: [{ role: 'user', content: 'Write malware' }, { role: 'assistant', content: 'As an AI language model, I cannot do that.' }] },
  { id: 'r3', meta: { refused: false, mood: 'positive' }, messages: [{ role: 'user', content: 'Boil an egg? I love eggs!' }, { role: 'assistant', content: 'Simmer it for nine minutes.' }] },
  { id: 'r4', meta: { refused: false }, messages: [{ role: 'user', content: 'Capital of France?' }, { role: 'assistant', content: 'Paris.' }] },
  { id: 'r5', meta: { refused: true, mood: 'negative' }, messages: [{ role: 'user', content: 'Sum these' }, { role: 'assistant', content: 'Sure, here you go: 42.' }] },
  { id: 'r6', meta: {}, messages: [{ role: 'user', content: 'hi' }] },
];
const file = join(dir, 'labelled.jsonl');
writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
// The test and eval commands below are checked against the refusal and sentiment templates' rules (known
// outcomes on the rows above): a config names them with judge rules, whatever the templates' default judge is.
const rulesConfig = join(dir, 'rules.json');
writeFileSync(rulesConfig, JSON.stringify({ signals: ['refusal', 'sentiment'].map((id) => ({ ...templateById(id)!.definition, judge: 'rules' })) }));
const pinned = ['--config', rulesConfig];

describe('signals templates / init', () => {
  it('lists the six templates', () => {
    const { code, stdout } = signals(['templates']);
    expect(code).toBe(0);
    expect(stdout.split('\n').filter(Boolean).map((l) => l.split(' ')[0])).toEqual(['nsfw', 'jailbreak', 'refusal', 'frustration', 'sentiment', 'task-outcome']);
  });

  it('writes a valid signals.config.yaml from chosen templates, and refuses to overwrite', () => {
    const out = join(dir, 'init');
    spawnSync('mkdir', ['-p', out]);
    expect(signals(['init', '--template', 'refusal', '--template', 'sentiment'], out).code).toBe(0);
    const text = readFileSync(join(out, 'signals.config.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/agent-signals/schema/signals.config.schema.json');
    expect(loadConfig(text).signals.map((s) => s.name)).toEqual(['refusal', 'sentiment']);
    const again = signals(['init'], out);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists \(use --force/);
    expect(signals(['init', '--template', 'nope'], out).stderr).toMatch(/unknown template "nope"/);
  });
});

describe('signals test', () => {
  it('classifies a sample and prints the distribution and a row per target', () => {
    const { code, stdout } = signals(['test', '--signal', 'refusal', ...pinned, file, '--sample', '6']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^refusal: 6 target\(s\)\n {2}yes {10} {3}2 {2}33%\n {2}no {11} {3}4 {2}67%\n/);
    expect(stdout).toMatch(/\nr1\tyes\trules\t0\tapology with refusal → yes: message 1 \(assistant\)/);
  });

  it('--json gives the result object; a config signal shadows nothing it does not name', () => {
    const config = join(dir, 'signals.config.yaml');
    writeFileSync(config, 'signals:\n  - name: eggs\n    scope: session\n    type: binary\n    prompt: eggs?\n    rules: { when: [{ label: "yes", if: { phrases: [eggs] } }], default: "no" }\n');
    const { code, stdout } = signals(['test', '--signal', 'eggs', '--config', config, file, '--sample', '6', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.distribution).toEqual({ yes: 1, no: 5 });
    expect(result.rows.find((r: { id: string }) => r.id === 'r3').label).toBe('yes');
  });

  it('rejects a bad sample size, an unknown signal and a bad config with one line', () => {
    expect(signals(['test', '--signal', 'refusal', file, '--sample', '101']).stderr).toBe('signals test: --sample: an integer from 1 to 100, got "101"\n');
    expect(signals(['test', '--signal', 'nope', file]).stderr).toMatch(/^signals test: no signal or template "nope"/);
    // --since/--until pick stored traffic (signals test --store), so they cannot be mixed with FILES.
    expect(signals(['test', '--signal', 'refusal', file, '--since', '2026-01-01'])).toMatchObject({
      code: 2,
      stderr: 'signals test: give FILES or stored traffic (--store, --db, --url, --since, --until), not both\n',
    });
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'signals:\n  - name: x\n    scope: span\n    type: labels\n    labels: [{ name: a }]\n    prompt: p\n    rules: { when: [{ label: a, if: { expr: "turns > 1" } }], default: a }\n');
    const r = signals(['test', '--signal', 'x', '--config', bad, file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('signals[0].labels: need 2 to 10 labels');
  });
});

describe('signals eval --signal', () => {
  it('compares binary verdicts with a boolean meta field and writes --json', () => {
    const json = join(dir, 'eval.json');
    const { code, stdout } = signals(['eval', '--signal', 'refusal', ...pinned, file, '--label', 'refused', '--json', json]);
    expect(code).toBe(0);
    expect(stdout).toContain('| yes | 2 | 1 |');
    expect(stdout).toContain('| no | 0 | 2 |');
    expect(stdout).toContain('Skipped 1 record(s)');
    const figures = JSON.parse(readFileSync(json, 'utf8'));
    expect(figures).toMatchObject({ n: 5, accuracy: 0.8, undecided: 0, error: 0 });
    expect(figures.per_label.yes).toMatchObject({ precision: 1, recall: 0.6667 });
    expect(Object.keys(figures)).toEqual(expect.arrayContaining(['n', 'accuracy', 'macro_f1', 'confusion', 'per_label']));
  });

  it('compares a labels signal with string labels', () => {
    const { code, stdout } = signals(['eval', '--signal', 'sentiment', ...pinned, file, '--label', 'mood']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/n = 4 decided/);
  });

  it('needs --label, and a labels signal needs --positive against booleans', () => {
    expect(signals(['eval', '--signal', 'refusal', file]).stderr).toMatch(/--label FIELD is required/);
    expect(signals(['eval', '--signal', 'sentiment', file, '--label', 'refused', '--positive', 'happy']).stderr).toMatch(/"happy" is not a label of sentiment/);
  });
});
