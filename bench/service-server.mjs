// The service under test for bench/service.mjs: `signals serve` as the CLI starts it (the libsql store, the
// background tick, the Hono app on @hono/node-server) in its own process, with an event-loop delay monitor.
// Answers the driver's IPC questions: `ready` (its URL), `loop` (event-loop delay p99/max since the last ask),
// `store` (stored bytes and what is still waiting to settle), `{ signals: state }` (sets the bench signals' state).
import { statSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { configFromEnv } from '../dist/http/app.js';
import { startNodeServer } from '../dist/http/node.js';
import { startNodeService } from '../dist/service/node-runner.js';

const templates = (process.env.BENCH_TEMPLATES ?? 'jailbreak,nsfw,refusal,frustration').split(',').filter(Boolean);
const running = await startNodeService(process.env, { intervalMs: 500 });
for (const template of templates) {
  await running.service.api.createSignal({ template, overrides: { name: `bench-${template}` }, state: 'active' });
}
const server = await startNodeServer({ ...configFromEnv(process.env), signals: running.service }, 0, '127.0.0.1');
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
let cpu = process.cpuUsage();

const size = () => ['', '-wal'].reduce((n, s) => n + (statSync(process.env.SIGNALS_DB + s, { throwIfNoEntry: false })?.size ?? 0), 0);
const one = async (query) => Number(Object.values((await running.store.db.all(query))[0])[0]);

process.on('message', async (m) => {
  if (m === 'loop') {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    process.send({ p99: loop.percentile(99) / 1e6, max: loop.max / 1e6, mean: loop.mean / 1e6, cpuMs: (used.user + used.system) / 1000 });
    loop.reset();
  } else if (m === 'store') {
    await running.store.db.run(sql`PRAGMA wal_checkpoint(TRUNCATE)`);
    process.send({
      bytes: size(),
      spans: await one(sql`select count(*) from spans`),
      labels: await one(sql`select count(*) from labels`),
      unsettledTraces: await one(sql`select count(*) from traces where root_ended = 1 and revision > settled_revision`),
      unsettledSessions: await one(sql`select count(*) from sessions where revision > settled_revision`),
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
process.send({ url: server.url });
