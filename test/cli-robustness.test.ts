/**
 * What a first user and a hostile input found in the CLI (issue 16): nothing scored is lost on a read error, long
 * lines and full disks are one clear line, closed pipes end quietly, outputs are checked before the run, and the
 * small options behave. Inputs are the bundled sample and generated conversations.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { libraryReportLines, SAMPLE, sampleLines } from './helpers/sample.js';
import { BUILT_CLI as CLI, signals } from './helpers/built-cli.js';



const lines = (text: string) => text.split('\n').filter((line) => line !== '');

/** `n` small distinct conversations, one JSONL line each. */
function conversations(n: number, prefix = 'c'): string[] {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({ id: `${prefix}${i}`, messages: [{ from: 'human', value: `order ${i} never arrived, ${(i * 7919) % 1000}` }, { from: 'gpt', value: `Looking into order ${i}.` }] }),
  );
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-robust-'));
});

describe('a read error loses nothing already read', () => {
  it('a truncated gzip: every whole record before the cut is scored, then the cut is reported (exit 2)', () => {
    const text = `${conversations(3000).join('\n')}\n`;
    const gz = gzipSync(text);
    const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
    const path = join(dir, 'cut.jsonl.gz');
    writeFileSync(path, cut);
    // What the cut leaves, decoded independently with zlib's sync flush: its whole lines.
    const whole = gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }).toString().split('\n').length - 1;
    expect(whole).toBeGreaterThan(1000);
    for (const threads of ['1', '2']) {
      const run = signals(['analyze', path, '-q', '--threads', threads]);
      expect(run.code).toBe(2);
      expect(lines(run.stdout).map((line) => JSON.parse(line).id)).toEqual(Array.from({ length: whole }, (_, i) => `c${i}`));
      expect(run.stderr).toBe(`signals: ${path}: gzip data cut short (unexpected end of file); the records before the cut were read\n`);
    }
  });

  it('a bad later input: the batches in flight from the earlier one are written first', () => {
    const good = join(dir, 'good.jsonl');
    writeFileSync(good, `${conversations(4000, 'g').join('\n')}\n`);
    const bad = join(dir, 'bad.jsonl.gz');
    writeFileSync(bad, Buffer.concat([gzipSync(`${conversations(10, 'b').join('\n')}\n`), Buffer.from('trailing garbage')]));
    const run = signals(['analyze', good, bad, '-q', '--threads', '2']);
    expect(run.code).toBe(2);
    const ids = lines(run.stdout).map((line) => JSON.parse(line).id);
    expect(ids).toEqual([...Array.from({ length: 4000 }, (_, i) => `g${i}`), ...Array.from({ length: 10 }, (_, i) => `b${i}`)]);
    expect(run.stderr).toMatch(new RegExp(`^signals: ${bad.replace(/[.]/g, '\\.')}: unreadable gzip data \\(.+\\)\\n$`));
  });
});

describe('--max-line-bytes', () => {
  it('rejects a longer line in its place and scores the rest', () => {
    const good = conversations(3);
    const long = JSON.stringify({ id: 'long', messages: [{ from: 'human', value: 'x'.repeat(5000) }] });
    const run = signals(['analyze', '-', '--max-line-bytes', '2000', '--threads', '1'], [good[0], long, good[1], good[2]].join('\n'));
    expect(run.code).toBe(0);
    const out = lines(run.stdout).map((line) => JSON.parse(line));
    expect(out.map((row) => row.id)).toEqual(['c0', null, 'c1', 'c2']);
    expect(out[1].error).toBe('line 2: line longer than 2000 bytes (--max-line-bytes), not read');
    expect(run.stderr).toContain('-:2: line longer than 2000 bytes');
  });

  it('keeps memory bounded on a 300 MB line (a gzip of zeros)', () => {
    const path = join(dir, 'zeros.gz');
    writeFileSync(path, gzipSync(Buffer.alloc(300 * 1024 * 1024)));
    const summary = join(dir, 'zeros-summary.json');
    // Linux keeps a process's peak RSS across exec, and a child forked from this (large) test worker starts with the
    // worker's pages counted; started from a small shell, the CLI's own peak is what is measured.
    const spawned = spawnSync('/bin/sh', ['-c', '"$0" "$@"; exit $?', process.execPath, CLI, 'analyze', path, '--threads', '1', '-q', '--max-line-bytes', '1000000', '--summary-json', summary], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const run = { code: spawned.status, stdout: spawned.stdout };
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ id: null, error: 'line 1: line longer than 1000000 bytes (--max-line-bytes), not read' });
    // Buffered whole, the line alone would take 300 MB.
    expect(JSON.parse(readFileSync(summary, 'utf8')).peak_rss_mb).toBeLessThan(200);
  });
});

describe('outputs', () => {
  it('a full disk on -o is one line and exit 2', () => {
    const run = signals(['analyze', SAMPLE.sharegpt, '-o', '/dev/full', '--threads', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').filter(Boolean).at(-1)).toBe('signals: /dev/full: cannot write (ENOSPC: no space left on device)');
  });

  it('a full disk on stdout is one line and exit 2, no stack trace', () => {
    const run = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" analyze "${SAMPLE.sharegpt}" -q > /dev/full`], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('signals: stdout: cannot write (ENOSPC: no space left on device)\n');
  });

  it('signals triage … | head ends quietly', () => {
    const input = join(dir, 'many.jsonl');
    writeFileSync(input, `${conversations(3000).join('\n')}\n`);
    const run = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" triage "${input}" --rate 1 | head -n 2; echo "status \${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('status 0');
  });

  it('an unwritable --summary-json is found before the run, nothing is written', () => {
    const out = join(dir, 'never.jsonl');
    const run = signals(['analyze', SAMPLE.sharegpt, '-o', out, '--summary-json', '/proc/nope/summary.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^signals: \/proc\/nope\/summary\.json: cannot write \(.+\)\n$/);
    expect(existsSync(out)).toBe(false);
  });

  it('-o under /proc fails at once instead of spinning in mkdir', () => {
    const run = signals(['analyze', SAMPLE.sharegpt, '-o', '/proc/nope/x'], undefined, { timeout: 15_000 });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^signals: \/proc\/nope\/x: cannot write \(.+\)\n$/);
  });

  it('-o under a file names the problem', () => {
    const run = signals(['analyze', SAMPLE.sharegpt, '-o', `${SAMPLE.sharegpt}/x.jsonl`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not a directory');
  });
});

describe('small options', () => {
  it('--version and -v print the package version', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(signals(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(signals(['-v'])).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('signals help analyze is signals analyze --help', () => {
    const help = signals(['help', 'analyze']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(signals(['analyze', '--help']).stdout);
    expect(signals(['help', 'triage']).stdout).toBe(signals(['triage', '--help']).stdout);
  });

  it('--max-messages -5 says what is wrong', () => {
    expect(signals(['analyze', '-', '--max-messages', '-5'], '')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'signals: --max-messages must be a positive integer or "all", got "-5"\n',
      signal: null,
    });
  });

  it('triage --budget 0 is a usage error, not an empty output', () => {
    const run = signals(['triage', SAMPLE.sharegpt, '--budget', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^signals triage: --budget must be a positive integer \(conversations to keep\), got "0".*\n$/);
  });
});

describe('pretty-printed JSON documents', () => {
  it('are one record on stdin and in a file of any name', () => {
    const [first] = sampleLines('sharegpt');
    const pretty = JSON.stringify(JSON.parse(first), null, 2);
    const expected = libraryReportLines()[0];
    const path = join(dir, 'conversation.txt');
    writeFileSync(path, pretty);
    expect(signals(['analyze', '-', '-q'], pretty).stdout).toBe(`${expected}\n`);
    expect(signals(['analyze', path, '-q']).stdout).toBe(`${expected}\n`);
  });

  it('a JSONL file whose first line is cut short stays JSONL', () => {
    const run = signals(['analyze', '-', '-q'], `{"id": "cut", "messages": [\n${sampleLines('sharegpt')[0]}\n`);
    expect(lines(run.stdout).map((line) => JSON.parse(line).id)).toEqual([null, 'sample:order-status-happy']);
  });
});

describe('control bytes from the input', () => {
  it('are escaped on stderr, never sent to the terminal', () => {
    const run = signals(['analyze', join(dir, '\x1b[2Jgone.jsonl'), '-q']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`signals: ${dir}/\\x1b[2Jgone.jsonl: no such file\n`);
    const input = join(dir, 'ids.jsonl');
    writeFileSync(input, '{"id": "a", "messages": [{"from": "human", "value": 3}]}\n');
    const rejected = signals(['analyze', `${dir}/ids\x07.jsonl`, input, '-q']);
    expect(rejected.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
  });
});


describe('JSON arrays with a bad item', () => {
  it('reject that item (invalid UTF-8, 5000-deep nesting) and read the rest', () => {
    const [a, b] = sampleLines('sharegpt');
    const path = join(dir, 'bad-items.json');
    const deep = `{"id": "deep", "x": ${'['.repeat(6000)}${']'.repeat(6000)}}`;
    writeFileSync(path, Buffer.concat([Buffer.from(`[${a},\n{"id": "bytes", "messages": "`), Buffer.from([0xc3, 0x28]), Buffer.from(`"},\n${deep},\n${b}]`)]));
    const run = signals(['analyze', path, '-q', '--threads', '1']);
    expect(run.code).toBe(0);
    const out = lines(run.stdout).map((line) => JSON.parse(line));
    expect(out.map((row) => row.id ?? row.error)).toEqual(['sample:order-status-happy', 'item 2: invalid UTF-8', 'item 3: nesting 6001 levels deep (at most 4999)', 'sample:return-label-works']);
  });
});
