// The signals CLI against the local store (--db, a temp file) and against a running service (--url, a server on
// 127.0.0.1 port 0 with a bearer token): the same commands, the same answers.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/http/app.js';
import { startNodeServer, type NodeServer } from '../src/http/node.js';
import { startNodeService, type NodeService } from '../src/service/node-runner.js';
import { NO_PROVIDER_HINT } from '../src/custom/llm/providers.js';
import { cli, cliJson } from './helpers/cli-run.js';
import { otlpTurn } from './service/otlp-fixture.js';
import { TEMPLATE_MODELS } from '../src/custom/templates/models/index.js';
import { BUILT_CLI } from './helpers/built-cli.js';

const NOW = Date.now();
const TRACES = ['3af7651916cd43dd8448eb211c80319c', '4af7651916cd43dd8448eb211c80319c', '5af7651916cd43dd8448eb211c80319c'];
const TEXTS = ['I want a refund for my order', 'hi, where is my parcel?', 'refund please, it arrived broken'];

describe.each(['local', 'service'] as const)('signals CLI against the %s store', (mode) => {
  let dir = '';
  let node: NodeService;
  let server: NodeServer | undefined;
  let at: string[] = [];
  const prevToken = process.env.SIGNALS_API_TOKEN;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `signals-cli-${mode}-`));
    const db = join(dir, 'signals.db');
    node = await startNodeService({ SIGNALS_DB: db }, { intervalMs: 100, onError: () => undefined });
    for (const [i, id] of TRACES.entries()) await node.service.ingest(otlpTurn(id, NOW - 3_600_000 + i * 60_000, TEXTS[i]));
    if (mode === 'service') {
      server = await startNodeServer({ ...configFromEnv({ SIGNALS_API_TOKEN: 'cli-test-token' }), signals: node.service }, 0, '127.0.0.1');
      process.env.SIGNALS_API_TOKEN = 'cli-test-token';
      at = ['--url', server.url];
    } else at = ['--db', db];
  });
  afterAll(async () => {
    if (prevToken === undefined) delete process.env.SIGNALS_API_TOKEN;
    else process.env.SIGNALS_API_TOKEN = prevToken;
    await server?.close();
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('create from a template, from flags and from a file; usage and service errors are one line', async () => {
    const t = await cli(['create', '--template', 'frustration', '--agent', 'shop', ...at]);
    expect(t.code, t.err).toBe(0);
    // The template's default judge is whichever did best on the dev labels (rules or its learned model).
    expect(t.out).toBe(`created frustration version 1, draft: session scope, yes/no, judge ${TEMPLATE_MODELS.frustration.judge}\n`);

    const flags = await cliJson<{ name: string; state: string; scope: string; definition: { rules: unknown } }>([
      'create', '--name', 'refund', '--agent', 'shop', '--scope', 'trace', '--type', 'binary', '--prompt', 'Asks for a refund?',
      '--rule', 'yes=\\brefund\\b', '--default', 'no', ...at,
    ]);
    expect(flags).toMatchObject({ name: 'refund', state: 'draft', scope: 'trace' });
    expect(flags.definition.rules).toEqual({ when: [{ label: 'yes', if: { pattern: '\\brefund\\b' } }], default: 'no' });

    const file = join(dir, 'parcel.yaml');
    writeFileSync(file, 'name: parcel\nagent: shop\nscope: span\ntype: binary\nprompt: Asks where a parcel is?\nrules:\n  when:\n    - label: "yes"\n      if: { phrases: [parcel] }\n  default: "no"\n');
    const fromFile = await cli(['create', '--file', file, '--activate', ...at]);
    expect(fromFile.out).toMatch(/^created parcel version 1, active: span scope, yes\/no, judge rules\n$/);

    const dup = await cli(['create', '--template', 'frustration', '--agent', 'shop', ...at]);
    expect(dup).toEqual({ code: 1, out: '', err: 'signals create: A signal named "frustration" exists already (edit it, or choose another name)\n' });
    const invalid = await cli(['create', 'x', '--prompt', 'Asks?', '--labels', 'only-one', ...at]);
    expect(invalid.code).toBe(1);
    expect(invalid.err.split('\n')).toHaveLength(2);
    expect(invalid.err).toMatch(/^signals create: Invalid signal definition: labels: need 2 to 10 labels/);
    // Usage errors (exit 2, one line): no prompt, a flag value outside its choices.
    expect(await cli(['create', '--name', 'x', '--scope', 'trace', '--type', 'binary', ...at])).toMatchObject({
      code: 2,
      err: 'signals create: give --prompt TEXT (what the judge decides), or --template ID or --file FILE (see signals create --help)\n',
    });
    expect(await cli(['create', 'x', '--prompt', 'Asks?', '--scope', 'conversation', ...at])).toMatchObject({
      code: 2,
      err: 'signals create: --scope: span, trace, session, got "conversation" (see signals create --help)\n',
    });
    const noProvider = await cli(['create', 'refund-llm', '--prompt', 'Does the user ask for a refund?', ...at]);
    expect(noProvider).toEqual({ code: 1, out: '', err: `signals create: ${NO_PROVIDER_HINT}\n` });
    const usage = await cli(['create', ...at]);
    expect(usage).toMatchObject({ code: 2, err: 'signals create: give NAME --prompt TEXT, --template ID or --file FILE (see signals create --help)\n' });
  });

  it('list, show, edit (a new version with its diff), versions, activate, disable, archive', async () => {
    const list = await cli(['list', ...at]);
    expect(list.code).toBe(0);
    const lines = list.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATE\s+VERSION\s+SCOPE\s+TYPE\s+AGENT\s+LABELLED\s+LAST 24H$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(' ')).sort()).toEqual(['frustration draft', 'parcel active', 'refund draft']);
    expect((await cliJson<unknown[]>(['list', ...at])).length).toBe(3);

    const show = await cli(['show', 'refund', ...at]);
    expect(show.out).toContain('  state      draft\n');
    expect(show.out).toContain('prompt: Asks for a refund?');
    expect((await cliJson<{ version: number }>(['show', 'refund', ...at])).version).toBe(1);
    expect(await cli(['show', 'nope', ...at])).toMatchObject({ code: 1, err: expect.stringMatching(/^signals show: No signal "nope"/) });
    expect(await cli(['show', ...at])).toMatchObject({ code: 2, err: expect.stringMatching(/^signals show: missing argument/) });

    const edit = await cli(['edit', 'refund', '--sample-rate', '0.5', ...at]);
    expect(edit.out).toBe('refund: version 2\n  ~ sample_rate: 1 → 0.5\n');
    const editJson = await cliJson<{ signal: { version: number }; changes: string[] }>(['edit', 'refund', '--sample-rate', '1', ...at]);
    expect(editJson).toMatchObject({ signal: { version: 3 }, changes: ['sample_rate: 0.5 → 1'] });
    expect((await cli(['edit', 'refund', '--scope', 'session', ...at])).err).toMatch(/^signals edit: The scope of "refund" is trace and cannot change/);

    const versions = await cli(['versions', 'refund', ...at]);
    expect(versions.out.trimEnd().split('\n').map((l) => [l.split(/\s+/)[0], l.split(/\s+/).at(-1)])).toEqual([
      ['VERSION', 'CHANGED'],
      ['v3', 'sample_rate'],
      ['v2', 'sample_rate'],
      ['v1', 'created'],
    ]);
    expect((await cliJson<{ version: number }[]>(['versions', 'refund', ...at])).map((v) => v.version)).toEqual([3, 2, 1]);

    expect((await cli(['activate', 'refund', ...at])).out).toBe('refund is active (version 3)\n');
    expect(await cli(['disable', 'frustration', ...at])).toMatchObject({
      code: 1,
      err: 'signals disable: Signal "frustration" is draft and cannot become disabled; from draft it can become active or archived\n',
    });
    expect((await cliJson<{ state: string }>(['activate', 'frustration', ...at])).state).toBe('active');
    expect((await cliJson<{ state: string }>(['disable', 'frustration', ...at])).state).toBe('disabled');
    expect((await cli(['archive', 'frustration', ...at])).out).toBe('frustration is archived (version 1)\n');
    expect((await cli(['restore', 'frustration', ...at])).out).toBe('frustration is disabled (version 1)\n');
    expect((await cli(['archive', 'frustration', ...at])).out).toBe('frustration is archived (version 1)\n');

    // An edited prompt shows both prompts whole.
    const long = 'Does the user ask for their money back, a refund, a chargeback or a credit note for an order that arrived late or broken?';
    const promptEdit = await cli(['edit', 'parcel', '--prompt', long, ...at]);
    expect(promptEdit.out).toBe(`parcel: version 2\n  ~ prompt: "Asks where a parcel is?" → ${JSON.stringify(long)}\n`);
    expect((await cliJson<unknown[]>(['list', ...at])).length).toBe(2);
    expect((await cliJson<unknown[]>(['list', '--all', ...at])).length).toBe(3);
    expect((await cli(['activate', 'frustration', ...at])).code).toBe(1);
  });

  it('run --wait backfills the window; runs, labels, distribution and target read the results', async () => {
    const run = await cli(['run', 'refund', '--since', '1d', '--wait', ...at]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^run run_\S+ done: 3\/3 targets, yes 2, no 1\n$/);
    const again = await cliJson<{ status: string; done: number; counts: Record<string, number> }>(['run', 'refund', '--since', '1d', '--wait', ...at]);
    expect(again.status).toBe('done');
    expect(await cli(['run', 'refund', ...at])).toMatchObject({ code: 2, err: 'signals run: --since is required (ISO 8601 or a duration ago such as 24h) (see signals run --help)\n' });

    const runs = await cliJson<{ items: { id: string; status: string }[]; nextCursor: null }>(['runs', 'refund', ...at]);
    expect(runs.items.map((r) => r.status)).toEqual(['done', 'done']);
    expect(runs.nextCursor).toBeNull();
    const table = await cli(['runs', ...at]);
    expect(table.out.split('\n')[0]).toMatch(/^RUN\s+SIGNAL\s+VERSION\s+STATUS\s+DONE/);
    expect(table.out).not.toContain('more runs');
    // One at a time: the line under the table gives the cursor of the next.
    const one = await cli(['runs', '--limit', '1', ...at]);
    const cursor = /\nmore runs: --cursor (\S+) \(or --all\)\n$/.exec(one.out)?.[1];
    expect(cursor).toBeDefined();
    expect(await cliJson(['runs', '--limit', '1', '--cursor', cursor!, ...at])).toEqual({ items: [runs.items[1]], nextCursor: null });

    const labels = await cliJson<{ items: { targetId: string; value: string }[]; nextCursor: null }>(['labels', 'refund', '--value', 'yes', ...at]);
    expect(labels.items.map((l) => l.targetId).sort()).toEqual([TRACES[0], TRACES[2]]);
    const page = await cliJson<{ items: unknown[]; nextCursor: string }>(['labels', 'refund', '--limit', '2', ...at]);
    expect(page.items).toHaveLength(2);
    const rest = await cliJson<{ items: { targetId: string }[]; nextCursor: null }>(['labels', 'refund', '--limit', '2', '--cursor', page.nextCursor, ...at]);
    expect(rest).toEqual({ items: [expect.objectContaining({ targetId: TRACES[0] })], nextCursor: null });
    const labelsText = await cli(['labels', 'refund', '--limit', '1', ...at]);
    expect(labelsText.out).toMatch(/^AT\s+TARGET\s+VALUE/);
    expect(labelsText.out).toMatch(/\nmore: --cursor \S+\n$/);
    expect(await cli(['labels', 'refund', '--limit', 'many', ...at])).toMatchObject({ code: 2, err: 'signals labels: --limit: a number, got "many" (see signals labels --help)\n' });
    expect(await cli(['labels', 'refund', '--value', 'maybe', ...at])).toEqual({
      code: 1,
      out: '',
      err: 'signals labels: value: "maybe" is not a label of "refund" (yes, no, undecided, error)\n',
    });

    const dist = await cliJson<{ start: string; counts: Record<string, number> }[]>(['distribution', 'refund', '--bucket', '1h', '--since', '1d', ...at]);
    expect(dist.reduce((n, b) => n + (b.counts.yes ?? 0), 0)).toBe(2);
    expect((await cli(['distribution', 'refund', ...at])).out).toMatch(/total: yes 2, no 1\n$/);

    const target = await cli(['target', 'trace', TRACES[0], ...at]);
    expect(target.out).toContain('I want a refund for my order');
    expect(target.out).toMatch(/labels:\n {2}sig_\S+ v3 {2}yes {2}rules/);
    const tj = await cliJson<{ labels: { value: string }[]; messages: unknown[] }>(['target', 'trace', TRACES[1], ...at]);
    expect(tj.labels.map((l) => l.value)).toEqual(['no']);
    expect(await cli(['target', 'thread', 'x', ...at])).toMatchObject({ code: 2, err: 'signals target: KIND is span, trace or session, got "thread" (see signals target --help)\n' });

    // A reviewer corrects one label (judge human, who); review, show and --undo read and change it.
    const reviewed = await cli(['review', 'refund', TRACES[1], 'yes', '--reviewer', 'ana', ...at]);
    expect(reviewed.code, reviewed.err).toBe(0);
    expect(reviewed.out).toMatch(new RegExp(`^trace ${TRACES[1]} \\(agent \\S+\\): yes, by ana, v3 \\(label \\S+\\)\n$`));
    expect((await cliJson<{ labels: { value: string; judge: string; superseded: boolean }[] }>(['target', 'trace', TRACES[1], ...at])).labels.filter((l) => !l.superseded)).toEqual([
      expect.objectContaining({ value: 'yes', judge: 'human' }),
    ]);
    const review = await cli(['review', 'refund', ...at]);
    expect(review.out).toMatch(/^Judging \(per version; 1 target\(s\) reviewed by ana 1\)\n/);
    expect(review.out).toMatch(/\n {2}v3 rules: [^\n]*human 1[^\n]*; agrees with reviewers on 0\.0% of 1, kappa 0\.00\n/);
    expect(review.out).toMatch(/\nTo review next\n {2}trace /);
    expect((await cli(['show', 'refund', ...at])).out).toMatch(/\n {2}v3 rules: [^\n]*agrees with reviewers on 0\.0% of 1/);
    expect(await cli(['review', 'refund', TRACES[1], 'maybe', '--reviewer', 'ana', ...at])).toMatchObject({ code: 1, err: expect.stringMatching(/^signals review: value: one of yes, no/) });
    const row = await cliJson<{ id: string }>(['review', 'refund', TRACES[0], 'no', '--reviewer', 'bo', ...at]);
    expect((await cli(['review', 'refund', '--undo', row.id, ...at])).out).toBe(`removed human label ${row.id}\n`);
  });

  it('alerts create, list, pause, resume, backtest, history', async () => {
    const created = await cli([
      'alerts', 'create', '--signal', 'refund', '--name', 'refunds-high', '--metric', 'true_rate', '--comparison', 'above',
      '--threshold', '0.5', '--window', '1h', '--every', '5m', ...at,
    ]);
    expect(created.code, created.err).toBe(0);
    expect(created.out).toMatch(/^created alert refunds-high \(alt_\S+\) on refund: ok\n$/);
    const list = await cliJson<{ name: string; state: string }[]>(['alerts', 'list', ...at]);
    // The service's timer may have evaluated it already (2 of 3 labels yes: firing); the local store has no timer.
    expect(list).toEqual([expect.objectContaining({ name: 'refunds-high', state: mode === 'local' ? 'ok' : expect.stringMatching(/^(ok|firing)$/) })]);
    expect((await cli(['alerts', 'pause', 'refunds-high', ...at])).out).toBe('alert refunds-high is paused\n');
    expect((await cliJson<{ state: string }>(['alerts', 'resume', 'refunds-high', ...at])).state).toMatch(/^(ok|firing)$/);

    const bt = await cliJson<{ evaluations: number; transitions: { to: string }[] }>(['alerts', 'backtest', 'refunds-high', '--since', '3h', ...at]);
    expect(bt.evaluations).toBeGreaterThan(30);
    // Two of three labels in the last hour are yes (0.67 above 0.5): the replay fires.
    expect(bt.transitions.map((t) => t.to)).toContain('firing');
    const btText = await cli(['alerts', 'backtest', 'refunds-high', '--since', '3h', ...at]);
    expect(btText.out).toMatch(/^refunds-high: \d+ evaluations, \d+ transitions, \d+ notifications\nAT\s+FROM\s+TO/);
    expect(btText.out).not.toContain('the next:');
    // A part at a time: the last line is the command that lists the next part of the same replay. Any label in 5
    // minutes: the three labels (a minute apart) fire it once and it resolves 5 minutes after the last.
    const any = ['--signal', 'refund', '--metric', 'volume', '--comparison', 'above', '--threshold', '0', '--window', '5m', '--every', '1m'];
    expect((await cli(['alerts', 'create', '--name', 'refunds-any', ...any, ...at])).code).toBe(0);
    const all = await cliJson<{ transitions: { to: string }[]; transitionsTotal: number }>(['alerts', 'backtest', 'refunds-any', '--since', '3h', ...at]);
    expect(all.transitions.map((t) => t.to)).toEqual(['firing', 'ok']);
    const part = await cli(['alerts', 'backtest', 'refunds-any', '--since', '3h', '--limit', '1', ...at]);
    const next = /\n\(the first 1 of 2 transitions; the next: signals alerts backtest refunds-any (--since \S+ --until \S+ --cursor \S+)\)\n$/.exec(part.out);
    expect(next, part.out).not.toBeNull();
    const rest = await cliJson<{ transitions: { to: string }[]; nextCursor: string | null }>(['alerts', 'backtest', 'refunds-any', ...next![1].split(' '), ...at]);
    expect(rest).toMatchObject({ transitions: [{ to: 'ok' }], nextCursor: null });
    const history = await cliJson<{ type: string; to?: string }[]>(['alerts', 'history', 'refunds-high', ...at]);
    expect(history.filter((h) => h.type === 'transition').map((h) => h.to)).toContain('paused');
    expect(await cli(['alerts', 'backtest', 'nope', '--since', '1h', ...at])).toMatchObject({ code: 1, err: 'signals alerts backtest: No alert "nope" (signals alerts list shows them)\n' });
    expect((await cli(['alerts', 'create', '--signal', 'refund', ...at])).code).toBe(2);
    expect((await cli(['alerts', 'frobnicate', ...at])).code).toBe(2);
  });

  it('config validate and apply (dry run, then apply, then nothing to do)', async () => {
    const good = join(dir, 'signals.config.yaml');
    writeFileSync(
      good,
      [
        'signals:',
        '  - name: refund',
        '    agent: shop',
        '    scope: trace',
        '    type: binary',
        '    prompt: Asks for a refund?',
        '    sample_rate: 0.8',
        '    rules:',
        '      when: [{ label: "yes", if: { pattern: "\\\\brefund\\\\b" } }]',
        '      default: "no"',
        '  - name: greeting',
        '    agent: shop',
        '    scope: span',
        '    type: binary',
        '    prompt: Says hi?',
        '    rules: { when: [{ label: "yes", if: { phrases: [hi] } }], default: "no" }',
        'alerts:',
        '  - { name: greetings-low, signal: greeting, metric: volume, comparison: below, threshold: 1, window: 1h }',
        '',
      ].join('\n'),
    );
    expect(await cli(['config', 'validate', good])).toEqual({ code: 0, out: `${good}: valid, 2 signal(s), 1 alert(s)\n`, err: '' });
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'signals:\n  - name: Bad Name\n    scope: trace\n    type: binary\n    prompt: x\n');
    const v = await cli(['config', 'validate', bad]);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/^\S+bad\.yaml: \d+ problem\(s\)\n {2}signals\[0\]\.name: /);
    const vj = await cli(['config', 'validate', bad, '--json']);
    expect(vj.code).toBe(1);
    expect(JSON.parse(vj.out).problems).toEqual(expect.arrayContaining([expect.stringMatching(/^signals\[0\]\.name: /)]));

    const dry = await cli(['config', 'apply', good, '--dry-run', ...at]);
    expect(dry.out).toBe(
      '~ signal refund: update\n    sample_rate: 1 → 0.8\n+ signal greeting: create\n+ alert greetings-low: create\n(dry run: nothing changed)\n',
    );
    expect((await cliJson<{ state: string }>(['show', 'refund', ...at])).state).toBe('active');
    expect((await cliJson<{ version: number }>(['show', 'refund', ...at])).version).toBe(3);
    const applied = await cliJson<{ action: string }[]>(['config', 'apply', good, ...at]);
    expect(applied.map((s) => s.action)).toEqual(['update', 'create', 'create']);
    expect((await cliJson<{ version: number }>(['show', 'refund', ...at])).version).toBe(4);
    expect((await cliJson<{ action: string }[]>(['config', 'apply', good, ...at])).map((s) => s.action)).toEqual(['unchanged', 'unchanged', 'exists']);
    expect(await cli(['config', 'apply', bad, ...at])).toMatchObject({ code: 1, err: expect.stringMatching(/^signals config apply: .*bad\.yaml is not valid: signals\[0\]\.name: /) });
    expect(await cli(['config', 'apply', ...at])).toMatchObject({ code: 2 });
  });

  it('test --store previews a stored signal on stored traffic; ingest writes to the store or POSTs to --url', async () => {
    const preview = await cliJson<{ n: number; distribution: Record<string, number> }>(['test', '--signal', 'refund', '--store', ...at]);
    expect(preview).toMatchObject({ n: 3, distribution: { yes: 2, no: 1 } });
    expect(await cli(['test', '--signal', 'nope', '--store', ...at])).toMatchObject({ code: 1, err: expect.stringMatching(/^signals test: No signal "nope"/) });

    const file = join(dir, 'more.json');
    writeFileSync(file, JSON.stringify(otlpTurn('7af7651916cd43dd8448eb211c80319c', NOW - 60_000, 'one more refund')));
    const ingest = await cli(['ingest', file, ...at]);
    expect(ingest.code, ingest.err).toBe(0);
    if (mode === 'local') expect(ingest.out).toMatch(/^ingested 2 spans \(2 new\) from 1 file\(s\); \d+ labels, 0 queued for the LLM judge\n$/);
    else expect(ingest.out).toBe(`sent 1 export(s) to ${server!.url}/v1/traces\n`);
    const target = await cliJson<{ messages: { value: string }[] }>(['target', 'trace', '7af7651916cd43dd8448eb211c80319c', ...at]);
    expect(target.messages.map((m) => m.value)).toContain('one more refund');
  });

  it('every command has --help with examples', async () => {
    for (const args of [['list'], ['show'], ['create'], ['edit'], ['activate'], ['disable'], ['archive'], ['versions'], ['target'], ['labels'], ['review'], ['distribution'], ['run'], ['runs'], ['alerts', 'list'], ['alerts', 'create'], ['alerts', 'pause'], ['alerts', 'resume'], ['alerts', 'backtest'], ['alerts', 'history'], ['config', 'validate'], ['config', 'apply'], ['serve'], ['mcp']]) {
      const r = await cli([...args, '--help']);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.out, args.join(' ')).toMatch(/^Usage: signals /);
      expect(r.out, args.join(' ')).toContain('\nExamples\n');
    }
  });
});

describe('signals CLI without a service', () => {
  it('--url to a closed port is an I/O error (exit 2) naming the URL', async () => {
    const r = await cli(['list', '--url', 'http://127.0.0.1:9']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^signals list: Cannot reach the signals service at http:\/\/127\.0\.0\.1:9: /);
    expect(r.err.split('\n')).toHaveLength(2);
  });

  it('a wrong token is refused with the server\'s message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signals-cli-token-'));
    const node = await startNodeService({ SIGNALS_DB: join(dir, 's.db') }, { intervalMs: 60_000 });
    const server = await startNodeServer({ ...configFromEnv({ SIGNALS_API_TOKEN: 'right' }), signals: node.service }, 0, '127.0.0.1');
    const prev = process.env.SIGNALS_API_TOKEN;
    process.env.SIGNALS_API_TOKEN = 'wrong';
    try {
      expect(await cli(['list', '--url', server.url])).toEqual({ code: 1, out: '', err: 'signals list: Invalid bearer token\n' });
    } finally {
      if (prev === undefined) delete process.env.SIGNALS_API_TOKEN;
      else process.env.SIGNALS_API_TOKEN = prev;
      await server.close();
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('signals serve runs the API and /mcp on Node with the store embedded, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signals-cli-serve-'));
    const child = spawn(process.execPath, [BUILT_CLI, 'serve', '--port', '0', '--db', join(dir, 's.db')], {
      env: { PATH: process.env.PATH ?? '' },
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += String(d);
          // The start line (anything printed before it, e.g. a runtime warning, is skipped).
          const m = /signals service on .*\n/.exec(out);
          if (m) resolve(m[0]);
        });
        child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
      const url = /^signals service on (http:\/\/127\.0\.0\.1:\d+) \(store /.exec(line)?.[1];
      expect(url, line).toBeDefined();
      expect(await (await fetch(`${url}/v1/signals`)).json()).toEqual([]);
      expect((await cli(['create', '--template', 'refusal', '--url', url!])).code).toBe(0);
      expect((await cliJson<{ name: string }[]>(['list', '--url', url!])).map((s) => s.name)).toEqual(['refusal']);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--version and the top-level help list the service commands', async () => {
    expect((await cli(['--version'])).out).toMatch(/^\d+\.\d+\.\d+\n$/);
    const help = await cli(['--help']);
    for (const c of ['list | show NAME', 'alerts ...', 'config validate|apply FILE', 'serve', 'mcp']) expect(help.out).toContain(c);
  });
});
