// `signals analyze` end to end against the time Node takes to JSON.parse every line of the same file, the
// reference's own yardstick (its build: 10.3 s on the ShareGPT corpus replicated to 39 MB = 41.5x JSON.parse).
//   node bench/e2e.mjs [--size-mb N]
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { dataDir, replicatedCorpus } from './replicate.mjs';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist/node/cli.js');
const { values } = parseArgs({ options: { 'size-mb': { type: 'string', default: '39' } } });
const input = await replicatedCorpus(Number(values['size-mb']), '.sharegpt.jsonl');
const mb = statSync(input).size / 1e6;

// JSON.parse of every line, once, in a fresh process (reading and splitting the file are not counted).
const parseScript = `
  const lines = require('node:fs').readFileSync(${JSON.stringify(input)}, 'utf8').split('\\n');
  const t = performance.now();
  for (const line of lines) if (line) JSON.parse(line);
  console.log(performance.now() - t);`;
const parseRuns = Array.from({ length: 3 }, () => Number(spawnSync(process.execPath, ['-e', parseScript], { encoding: 'utf8' }).stdout));
const parseSeconds = Math.min(...parseRuns) / 1000;

function analyzeSeconds(threads) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [cli, 'analyze', input, '-o', join(dataDir, `e2e-t${threads}.jsonl`), '-q', '--threads', String(threads)], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`signals analyze exited with ${run.status}`);
  return (performance.now() - started) / 1000;
}

const lines = readFileSync(input, 'utf8').split('\n').filter(Boolean).length;
console.log(`input: ${lines} conversations, ${mb.toFixed(1)} MB (ShareGPT corpus replicated)`);
console.log(`JSON.parse of every line: ${parseSeconds.toFixed(3)} s (best of 3)`);
for (const threads of [1, 2]) {
  const seconds = Math.min(analyzeSeconds(threads), analyzeSeconds(threads));
  console.log(
    `signals analyze --threads ${threads}: ${seconds.toFixed(2)} s (process start to exit, best of 2), ${(mb / seconds).toFixed(1)} MB/s, ` +
      `${(lines / seconds).toFixed(0)} conv/s, ${(seconds / parseSeconds).toFixed(1)}x JSON.parse (goal <= 20x, stretch <= 10x; reference 41.5x)`,
  );
}
