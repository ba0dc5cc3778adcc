import { describe, expect, it } from 'vitest';
import { UsageError } from '../usage-error.js';
import { parseAnalyzeArgs } from './analyze-args.js';

const environment = { availableParallelism: 4, stdinIsTerminal: false };

describe('parseAnalyzeArgs', () => {
  it('applies the defaults', () => {
    expect(parseAnalyzeArgs(['a.jsonl'], environment)).toEqual({
      help: false,
      inputs: ['a.jsonl'],
      output: undefined,
      format: undefined,
      threads: 4,
      maxMessages: undefined,
      strict: false,
      quiet: false,
      summaryJson: undefined,
      otlpOut: undefined,
      maxLineBytes: 64 * 1024 * 1024,
      withScore: false,
    });
  });

  it('reads every option', () => {
    const args = parseAnalyzeArgs(
      ['-', 'b.json', '-o', 'out/x.jsonl', '--format', 'anthropic', '--threads', '1', '--max-messages', 'all', '--strict', '-q', '--summary-json', 's.json'],
      environment,
    );
    expect(args).toMatchObject({ inputs: ['-', 'b.json'], output: 'out/x.jsonl', format: 'anthropic', threads: 1, maxMessages: Infinity, strict: true, quiet: true, summaryJson: 's.json' });
    expect(parseAnalyzeArgs(['x', '--max-messages', '250'], environment).maxMessages).toBe(250);
    expect(parseAnalyzeArgs(['x', '-o', '-'], environment).output).toBeUndefined();
    expect(parseAnalyzeArgs(['x', '--max-line-bytes', '1000', '--with-score'], environment)).toMatchObject({ maxLineBytes: 1000, withScore: true });
  });

  it('reads --group and --agent for traces', () => {
    expect(parseAnalyzeArgs(['x', '--group', 'span', '--agent', 'bot'], environment)).toMatchObject({ group: 'span', agent: 'bot' });
    expect(() => parseAnalyzeArgs(['x', '--group', 'turn'], environment)).toThrow('unknown group "turn" (expected one of: span, trace, session)');
  });

  it('reads stdin when no file is given and stdin is piped', () => {
    expect(parseAnalyzeArgs([], environment).inputs).toEqual(['-']);
    expect(() => parseAnalyzeArgs([], { ...environment, stdinIsTerminal: true })).toThrow('no input: give files, or - to read stdin');
    expect(parseAnalyzeArgs(['--help'], { ...environment, stdinIsTerminal: true }).help).toBe(true);
  });

  it('rejects bad values with one-line usage errors', () => {
    expect(() => parseAnalyzeArgs(['x', '--format', 'csv'], environment)).toThrow(/^unknown format "csv" \(expected one of: sharegpt, openai, .*tau\)$/);
    expect(() => parseAnalyzeArgs(['x', '--threads', '0'], environment)).toThrow('--threads must be a positive integer, got "0"');
    expect(() => parseAnalyzeArgs(['x', '--max-messages', '1.5'], environment)).toThrow('--max-messages must be a positive integer or "all", got "1.5"');
    // A negative value is the option's value, not an ambiguous option.
    expect(() => parseAnalyzeArgs(['x', '--max-messages', '-5'], environment)).toThrow('--max-messages must be a positive integer or "all", got "-5"');
    expect(() => parseAnalyzeArgs(['x', '-t', '-2'], environment)).toThrow('--threads must be a positive integer, got "-2"');
    expect(() => parseAnalyzeArgs(['x', '--max-line-bytes', '0'], environment)).toThrow('--max-line-bytes must be a positive integer, got "0"');
    expect(() => parseAnalyzeArgs(['x', '--bogus'], environment)).toThrow(UsageError);
    expect(() => parseAnalyzeArgs(['x', '--bogus'], environment)).toThrow(/^Unknown option '--bogus'.*\(see signals analyze --help\)$/);
  });
});
