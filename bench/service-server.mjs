// The service under test for bench/service.mjs: `signals serve` as the CLI starts it (the libsql store, the
// background tick, the Hono app on @hono/node-server) in its own process, with an event-loop delay monitor.
// Answers the driver's IPC questions: `ready` (its URL), `loop` (event-loop delay p99/max since the last ask),
// `cpu` (the main thread's and the whole process's CPU since it started), `store` (stored bytes and what is still waiting to settle), `pending` (only what is still waiting), `{ signals: state }` (sets the bench signals' state).
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { configFromEnv } from '../dist/http/app.js';
import { startNodeServer } from '../dist/http/node.js';
import { startNodeService } from '../dist/service/node-runner.js';

const templates = (process.env.BENCH_TEMPLATES ?? 'jailbreak,nsfw,refusal,frustration').split(',').filter(Boolean);
const running = await startNodeService(process.env, { intervalMs: 500 });
// The signals as created (template, scope, judge), told with the URL: what the bench prints is what runs.
const signals = [];
for (const template of templates) {
  // BENCH_JUDGE: every template judged that way (`rules`, `learned`) instead of by its default judge.
  const { definition } = await running.service.api.createSignal({ template, overrides: { name: `bench-${template}`, ...(process.env.BENCH_JUDGE ? { judge: process.env.BENCH_JUDGE } : {}) }, state: 'active' });
  signals.push({ template, scope: definition.scope, judge: definition.judge });
}
const server = await startNodeServer({ ...configFromEnv(process.env), signals: running.service }, 0, '127.0.0.1');
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
let cpu = process.cpuUsage();
// The main thread's own CPU (Linux: /proc/self/task/PID/stat, utime + stime in clock ticks), apart from the judge
// and reader threads': the event loop is what serializes the service. Null where /proc is missing.
const ticks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
const mainCpuMs = () => {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
  } catch {
    return null;
  }
};
let mainCpu = mainCpuMs();
const mainCpuAtStart = mainCpu;

const size = () => ['', '-wal'].reduce((n, s) => n + (statSync(process.env.SIGNALS_DB + s, { throwIfNoEntry: false })?.size ?? 0), 0);
const one = async (query) => Number(Object.values((await running.store.db.all(query))[0])[0]);

const pending = async () => ({
  unsettledTraces: await one(sql`select count(*) from traces where root_ended = 1 and revision > settled_revision`),
  unsettledSessions: await one(sql`select count(*) from sessions where revision > settled_revision`),
});

process.on('message', async (m) => {
  if (m === 'loop') {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    const main = mainCpuMs();
    process.send({ p99: loop.percentile(99) / 1e6, max: loop.max / 1e6, mean: loop.mean / 1e6, cpuMs: (used.user + used.system) / 1000, mainCpuMs: main === null || mainCpu === null ? null : main - mainCpu });
    mainCpu = main;
    loop.reset();
  } else if (m === 'cpu') {
    const main = mainCpuMs();
    const all = process.cpuUsage();
    process.send({ mainCpuMs: main === null || mainCpuAtStart === null ? null : main - mainCpuAtStart, cpuMs: (all.user + all.system) / 1000 });
  } else if (m === 'pending') {
    // Polled while waiting for settling: what is still waiting only (partial indexes), so the polling itself costs the
    // service little CPU; `store` checkpoints the WAL and counts every span and label.
    process.send(await pending());
  } else if (m === 'store') {
    await running.store.db.run(sql`PRAGMA wal_checkpoint(TRUNCATE)`);
    process.send({
      bytes: size(),
      spans: await one(sql`select count(*) from spans`),
      labels: await one(sql`select count(*) from labels`),
      ...(await pending()),
    });
  } else if (typeof m === 'object' && m.signals !== undefined) {
    // The fill between measured windows may run with the signals disabled (bench/service.mjs, the cheaper mode).
    for (const template of templates) await running.service.api.setState(`bench-${template}`, m.signals);
    process.send({ signals: m.signals });
  } else if (m === 'stop') {
    await server.close();
    await running.stop();
    process.exit(0);
  }
});
process.send({ url: server.url, signals });
