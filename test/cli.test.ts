import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { badRecordsCases } from './helpers/cli-bad-records-cases.js';
import { signals } from './helpers/built-cli.js';
import { libraryReportLines, SAMPLE, sampleLines } from './helpers/sample.js';

const goodLines = sampleLines('openai').slice(0, 6);
const dir = badRecordsCases({ goodLines, reportLines: libraryReportLines('openai').slice(0, 6), whole: SAMPLE.openai, wholeCount: 25 });

describe('signals (help and dispatch)', () => {
  it('documents the commands and exit codes', () => {
    const help = signals(['--help']);
    expect(help.code).toBe(0);
    for (const word of ['analyze', 'triage', 'eval', 'Exit codes', '2  usage or I/O error']) expect(help.stdout).toContain(word);
  });

  it('documents every analyze option, the formats and the exit codes', () => {
    const help = signals(['analyze', '--help']);
    expect(help.code).toBe(0);
    for (const word of ['--output', '--format', '--threads', '--max-messages', '--strict', '--quiet', '--summary-json', 'anthropic', 'otlp', 'tau', 'Exit codes']) {
      expect(help.stdout).toContain(word);
    }
  });

  it('exits 2 without a command or with an unknown one', () => {
    expect(signals([]).code).toBe(2);
    const unknown = signals(['score']);
    expect(unknown).toMatchObject({ code: 2, stderr: 'signals: unknown command "score" (see signals --help)\n' });
  });

  it('dispatches triage and eval to their commands', () => {
    expect(signals(['triage', '--help']).code).toBe(0);
    expect(signals(['eval', '--help']).code).toBe(0);
  });
});

describe('signals analyze (user errors: one line, exit 2)', () => {
  it.each([
    [['analyze', 'nope.jsonl'], 'signals: nope.jsonl: no such file\n'],
    [['analyze', '-', '--threads', 'two'], 'signals: --threads must be a positive integer, got "two"\n'],
  ])('%j', (args, stderr) => {
    expect(signals(args as string[], '')).toEqual({ code: 2, signal: null, stdout: '', stderr });
  });

  it('names the formats it knows when --format is unknown', () => {
    const run = signals(['analyze', '-', '--format', 'yaml'], '');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^signals: unknown format "yaml" \(expected one of: sharegpt, openai, responses, anthropic, [a-z, -]*tau\)\n$/);
  });

  it('rejects an unknown option and an unreadable gzip without a stack trace', () => {
    const option = signals(['analyze', '-', '--fast'], '');
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^signals: Unknown option '--fast'.*\n$/);
    const gzip = join(dir, 'broken.jsonl.gz');
    writeFileSync(gzip, Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.alloc(64, 7)]));
    const run = signals(['analyze', gzip, '-q']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^signals: ${gzip.replace(/[.]/g, '\\.')}: unreadable gzip data \\(.+\\)\\n$`));
  });
});

describe('signals analyze (output)', () => {
  it('writes what the library gives on the bundled sample, both formats', () => {
    // The library's reports are checked against hand-written expectations (test/sample-expectations.test.ts) and,
    // by the corpus suite (npm run test:corpus), byte for byte against the reference; here the CLI must agree.
    expect(signals(['analyze', SAMPLE.sharegpt, '-q']).stdout).toBe(`${libraryReportLines().join('\n')}\n`);
    expect(signals(['analyze', SAMPLE.openai, '-q', '--threads', '1']).stdout).toBe(`${libraryReportLines('openai').join('\n')}\n`);
  });

  it('prints the summary table on stderr', () => {
    const run = signals(['analyze', '-', '--threads', '1'], `${goodLines[0]}\n`);
    expect(run.code).toBe(0);
    for (const label of ['conversations read', 'conversations per quality bucket', 'worst conversations', 'elapsed', 'throughput', 'peak RSS']) expect(run.stderr).toContain(label);
    expect(run.stderr).not.toContain('written to');
  });

  it('ends the summary with where the reports went', () => {
    const out = join(dir, 'summary-where.jsonl');
    const run = signals(['analyze', '-', '--threads', '1', '-o', out], `${goodLines[0]}\n`);
    const tail = run.stderr.trimEnd().split('\n').slice(-4);
    expect(tail[0]).toBe(`reports written to ${out}`);
    expect(tail.slice(1).join('\n')).toContain(`npx signals triage ${out} --budget 5`);
  });

  it('adds quality_score after report with --with-score, and only then', () => {
    const [first] = sampleLines('sharegpt');
    const plain = signals(['analyze', '-', '-q'], first).stdout;
    const scored = signals(['analyze', '-', '-q', '--with-score'], first).stdout;
    expect(plain).toBe(`${libraryReportLines()[0]}\n`);
    // sample:order-status-happy: one gratitude signal, 50 + 12 = 62 (docs/builtin-signals.md: quality).
    expect(scored).toBe(`${plain.trimEnd().slice(0, -1)},"quality_score":62}\n`);
  });

  it('honours --max-messages', () => {
    const long = JSON.stringify({ id: 'long', messages: Array.from({ length: 30 }, (_, i) => ({ from: 'human', value: `message ${i}` })) });
    const limited = JSON.parse(signals(['analyze', '-', '-q', '--max-messages', '10'], long).stdout);
    const full = JSON.parse(signals(['analyze', '-', '-q'], long).stdout);
    expect(limited.report.summary).not.toBe(full.report.summary);
  });
});
