#!/usr/bin/env node
// Pool benchmark: `signals analyze` with --threads 1 and --threads 2 on the shared corpus replicated to ≥ 200 MB.
// Run after `npm run build`. Prints conversations/s, MB/s, the 2-vs-1 speed-up and peak RSS (the whole process:
// worker threads live in it, so their memory is included).
//   node bench/pool.mjs [--size-mb N] [--runs N]
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dataDir, replicatedCorpus } from './replicate.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/node/cli.js');

const { values } = parseArgs({ options: { 'size-mb': { type: 'string', default: '200' }, runs: { type: 'string', default: '1' } } });
const runs = Number(values.runs);

if (!existsSync(cli)) {
  console.error('bench/pool.mjs: dist/node/cli.js is missing; run `npm run build` first');
  process.exit(2);
}

async function sha256(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

function run(input, threads) {
  const output = join(dataDir, `reports-t${threads}.jsonl`);
  const summaryPath = join(dataDir, `summary-t${threads}.json`);
  const started = performance.now();
  const child = spawnSync(process.execPath, [cli, 'analyze', input, '-o', output, '-q', '--threads', String(threads), '--summary-json', summaryPath], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const wallSeconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`signals analyze --threads ${threads} exited with ${child.status}`);
  return { threads, wallSeconds, output, summary: JSON.parse(readFileSync(summaryPath, 'utf8')) };
}

/** Best (fastest) of `runs` runs, as the machine may be shared. */
function best(input, threads) {
  let fastest;
  for (let i = 0; i < runs; i++) {
    const result = run(input, threads);
    if (!fastest || result.summary.elapsed_s < fastest.summary.elapsed_s) fastest = result;
  }
  return fastest;
}

/** Wall seconds for two `--threads 1` runs at once, each on half the lines: what two cores give with no pool at all. */
async function twoProcesses(path) {
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const halves = [lines.slice(0, lines.length / 2), lines.slice(lines.length / 2)].map((half, i) => {
    const file = join(dataDir, `half-${i}.jsonl`);
    writeFileSync(file, `${half.join('\n')}\n`);
    return file;
  });
  const started = performance.now();
  await Promise.all(
    halves.map((file) => once(spawn(process.execPath, [cli, 'analyze', file, '-o', `${file}.out`, '-q', '--threads', '1'], { stdio: 'inherit' }), 'exit')),
  );
  return (performance.now() - started) / 1000;
}

const input = await replicatedCorpus(Number(values['size-mb']));
const sizeMb = statSync(input).size / 1e6;
console.log(`input ${input} (${sizeMb.toFixed(1)} MB), ${runs} run(s) per setting, load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);

const results = [best(input, 1), best(input, 2)];
console.log('threads  elapsed s  CPU s  conversations  conv/s    MB/s   peak RSS MB');
for (const { threads, summary } of results) {
  const row = [
    String(threads).padStart(7),
    summary.elapsed_s.toFixed(2).padStart(10),
    summary.cpu_s.toFixed(2).padStart(6),
    String(summary.conversations.read).padStart(14),
    summary.conversations_per_s.toFixed(0).padStart(7),
    summary.mb_per_s.toFixed(2).padStart(7),
    summary.peak_rss_mb.toFixed(1).padStart(13),
  ];
  console.log(row.join(' '));
}
const [one, two] = results;
const speedup = one.summary.elapsed_s / two.summary.elapsed_s;
const identical = (await sha256(one.output)) === (await sha256(two.output));
console.log(`speed-up 2 vs 1 thread: ${speedup.toFixed(2)}x (goal >= 1.8x); outputs identical: ${identical}`);
// Two threads cannot finish sooner than their CPU time spread over two cores: the best speed-up this machine allows.
const cpuBound = one.summary.elapsed_s / (two.summary.cpu_s / 2);
console.log(`CPU time 2 vs 1 thread: ${(two.summary.cpu_s / one.summary.cpu_s).toFixed(2)}x, so at most ${cpuBound.toFixed(2)}x with two idle cores`);
console.log(`machine ceiling: two independent 1-thread processes on the two halves: ${(one.summary.elapsed_s / (await twoProcesses(input))).toFixed(2)}x`);
console.log(`peak RSS, whole process incl. workers: ${Math.max(...results.map((r) => r.summary.peak_rss_mb)).toFixed(1)} MB (goal < 300 MB)`);
console.log(`load average after: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
if (!identical) process.exitCode = 1;
