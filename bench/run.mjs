// `npm run bench`: every suite in turn, each in its own process so one's heap does not slow the next.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const suites = [
  ['Core analyzer (one thread, tinybench)', 'core.mjs'],
  ['Incremental analysis: append cost and the span processor', 'incremental.mjs'],
  ['Worst-case inputs: 1 MB vs 1 KB of adversarial text, every pattern family and HTTP body parser', 'worst-case.mjs'],
  ['Custom signals rules judge: targets/s per template, one ~228 KB conversation', 'custom-rules.mjs'],
  ['Learned judge: training time on 10,000 targets, targets/s next to the rules judge', 'learned.mjs'],
  ['End to end: signals analyze vs JSON.parse (39 MB)', 'e2e.mjs'],
  ['Worker pool: 1 vs 2 threads (200 MB)', 'pool.mjs'],
  ['Signals service: ingest + live rules labelling, 100k spans into libsql', 'ingest.mjs'],
  ['Signals service over HTTP on realistic agent traffic: spans/s at 10k and 100k spans, label reads at 1M labels (BENCH_FULL=1: judged throughout)', 'service.mjs'],
  ['Signals service by store: ingest spans/s on libsql, PostgreSQL with one replica and with two', 'replicas.mjs'],
];
let failed = false;
for (const [title, file] of suites) {
  console.log(`\n# ${title}`);
  const run = spawnSync(process.execPath, [join(import.meta.dirname, file)], { stdio: 'inherit' });
  failed ||= run.status !== 0;
}
console.log('\n(HTTP load: npm run bench:http)');
process.exitCode = failed ? 1 : 0;
