#!/usr/bin/env node
/**
 * Load run of the HTTP service on loopback (127.0.0.1 only), after `npm run build`:
 *
 * 1. Node (`dist/http/node.js` in its own process): autocannon for `--duration` seconds per case against
 *    `/healthz` (baseline) and `POST /v1/analyze` with real corpus conversations (each connection cycles
 *    through the file's lines): requests/s, p50/p99 latency.
 * 2. Workers (`wrangler dev`, workerd on this machine): the CPU time of the workerd processes (user+sys from
 *    /proc) over N sequential `POST /v1/analyze` requests, per request, minus the same measure for
 *    `/healthz`. That is the CPU the runtime spends on one conversation (JSON parse, format conversion,
 *    analysis, serialization), measured from outside because Workers freeze timers inside a request.
 *    Plus one autocannon case against wrangler dev for throughput.
 *
 * Usage: node bench/http-load.mjs [--duration 10] [--connections 8] [--sequential 300] [--skip-workers]
 * Writes bench/.data/http-load.json and prints a Markdown table.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    sequential: { type: 'string', default: '300' },
    'skip-workers': { type: 'boolean', default: false },
  },
});
const DURATION = Number(opts.duration);
const CONNECTIONS = Number(opts.connections);
const SEQUENTIAL = Number(opts.sequential);
const CORPUS = new URL('../../shared/corpus/', import.meta.url);
const HOST = '127.0.0.1';
const CASES = [
  { name: 'tau-bench (ShareGPT)', file: 'tau-bench.sharegpt.jsonl' },
  { name: 'tau2-bench (OpenAI)', file: 'tau2-bench.openai.jsonl' },
  { name: 'sgd (ShareGPT)', file: 'sgd.sharegpt.jsonl' },
];

function corpusLines(file) {
  return readFileSync(new URL(file, CORPUS), 'utf8').split('\n').filter((line) => line !== '');
}

function mean(values) {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Starts a child process and resolves with the first URL it prints matching `ready`. */
function startProcess(command, args, env, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(ready);
      if (!match) return;
      // Stop collecting (wrangler logs every request); the streams keep flowing, so the pipes never fill.
      child.stdout.off('data', onData);
      child.stderr.off('data', onData);
      resolve({ child, url: match[1] });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command} exited (${code}) before it was ready:\n${output}`)));
  });
}

/** Stops a process group we started (wrangler spawns workerd) and waits for the leader to exit. */
async function stopProcess(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGINT');
  await Promise.race([exited, sleep(5000).then(() => process.kill(-child.pid, 'SIGKILL'))]);
}

/** autocannon for DURATION seconds; `cpu()` (server CPU seconds) is sampled around it for CPU per request. */
async function load(url, requests, cpu) {
  const before = cpu();
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, requests });
  return {
    serverCpuMsPerRequest: ((cpu() - before) * 1000) / result.requests.total,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

function analyzeRequests(lines) {
  return lines.map((body) => ({ method: 'POST', path: '/v1/analyze', headers: { 'content-type': 'application/json' }, body }));
}

/** PIDs of `root` and all its descendants, from /proc. */
function descendants(root) {
  const parent = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we were listing.
    }
  }
  const found = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (found.has(ppid) && !found.has(pid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/** User+system CPU seconds of one process (0 if it is gone). */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ ticks
  } catch {
    return 0;
  }
}

/** User+system CPU seconds of the workerd processes under `root` (wrangler runs workerd as a child). */
function workerdCpuSeconds(root) {
  let total = 0;
  for (const pid of descendants(root)) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('workerd')) total += cpuSeconds(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  return total;
}

/** Workerd CPU per request over `count` sequential requests (cycling through `requests`), and mean wall time. */
async function sequentialCpu(url, root, requests, count) {
  const before = workerdCpuSeconds(root);
  const walls = [];
  for (let i = 0; i < count; i++) {
    const { method = 'GET', path, headers, body } = requests[i % requests.length];
    const start = performance.now();
    const res = await fetch(url + path, { method, headers, body });
    await res.arrayBuffer();
    walls.push(performance.now() - start);
    if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  }
  return { cpuMsPerRequest: ((workerdCpuSeconds(root) - before) * 1000) / count, wallMs: mean(walls) };
}

const fmt = (n, digits = 1) => Number(n).toFixed(digits);
const results = { date: new Date().toISOString(), duration: DURATION, connections: CONNECTIONS, node: [], workers: {} };

console.log(`# HTTP load on ${HOST}, ${DURATION} s per case, ${CONNECTIONS} connections\n`);

const node = await startProcess('node', ['dist/http/node.js'], { PORT: '0', HOST }, /listening on (http:\/\/[\d.:]+)/);
try {
  const nodeCpu = () => cpuSeconds(node.child.pid);
  results.node.push({ case: 'GET /healthz (baseline)', ...(await load(node.url, [{ method: 'GET', path: '/healthz' }], nodeCpu)) });
  for (const { name, file } of CASES) {
    const lines = corpusLines(file);
    const bytes = mean(lines.map((line) => Buffer.byteLength(line)));
    results.node.push({ case: `POST /v1/analyze ${name}`, conversations: lines.length, meanBodyBytes: Math.round(bytes), ...(await load(node.url, analyzeRequests(lines), nodeCpu)) });
  }
} finally {
  await stopProcess(node.child);
}

console.log('## Node (@hono/node-server, one process)\n');
console.log('| case | req/s | p50 ms | p99 ms | server CPU ms/request | requests | non-2xx |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of results.node) {
  console.log(`| ${r.case} | ${fmt(r.reqPerSec, 0)} | ${r.p50} | ${r.p99} | ${fmt(r.serverCpuMsPerRequest, 2)} | ${r.total} | ${r.non2xx + r.errors} |`);
}

if (!opts['skip-workers']) {
  const wrangler = await startProcess(
    'npx',
    ['wrangler', 'dev', '--port', '8788', '--ip', HOST, '--show-interactive-dev-session=false'],
    { WRANGLER_SEND_METRICS: 'false', CI: '1' },
    /Ready on (http:\/\/[\d.:]+)/,
  );
  try {
    const root = wrangler.child.pid;
    await sequentialCpu(wrangler.url, root, [{ path: '/healthz' }], 30);
    const baseline = await sequentialCpu(wrangler.url, root, [{ path: '/healthz' }], SEQUENTIAL);
    results.workers.baseline = baseline;
    results.workers.cases = [];
    for (const { name, file } of CASES) {
      const requests = analyzeRequests(corpusLines(file));
      // Warm-up so JIT and first-request costs are not charged to the measure.
      await sequentialCpu(wrangler.url, root, requests, 30);
      const measured = await sequentialCpu(wrangler.url, root, requests, SEQUENTIAL);
      results.workers.cases.push({ case: name, ...measured, cpuMsPerConversation: measured.cpuMsPerRequest - baseline.cpuMsPerRequest });
    }
    results.workers.load = await load(wrangler.url, analyzeRequests(corpusLines(CASES[0].file)), () => workerdCpuSeconds(root));
  } finally {
    await stopProcess(wrangler.child);
  }

  console.log('\n## Workers (wrangler dev 4.86 / workerd on this machine)\n');
  console.log(`CPU = user+sys of the workerd processes over ${SEQUENTIAL} sequential requests, per request; per conversation = minus /healthz.\n`);
  console.log('| case | workerd CPU ms/request | CPU ms/conversation (minus baseline) | wall ms/request |');
  console.log('|---|---:|---:|---:|');
  console.log(`| GET /healthz (baseline) | ${fmt(results.workers.baseline.cpuMsPerRequest, 2)} | — | ${fmt(results.workers.baseline.wallMs, 2)} |`);
  for (const c of results.workers.cases) {
    console.log(`| POST /v1/analyze ${c.case} | ${fmt(c.cpuMsPerRequest, 2)} | ${fmt(c.cpuMsPerConversation, 2)} | ${fmt(c.wallMs, 2)} |`);
  }
  const w = results.workers.load;
  console.log(
    `\nautocannon against wrangler dev, ${CASES[0].name}: ${fmt(w.reqPerSec, 0)} req/s, p50 ${w.p50} ms, p99 ${w.p99} ms, ` +
      `workerd CPU ${fmt(w.serverCpuMsPerRequest, 2)} ms/request, non-2xx ${w.non2xx + w.errors}`,
  );
}

mkdirSync(new URL('.data/', import.meta.url), { recursive: true });
writeFileSync(new URL('.data/http-load.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
