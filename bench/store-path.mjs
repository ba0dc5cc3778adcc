// The store's write path alone, in this process: the service bench's traffic (bench/traffic.mjs, exports of 200 spans)
// decoded and read as the route does, then stored by `ingest` with no signal active (no judging), into a fresh libsql
// file. Prints the CPU of the ingest calls a span (decoding and reading excluded) and JSON.parse of the same bodies,
// after a warm-up of BENCH_WARM spans (default 2,000) over BENCH_SPANS spans (default 6,000). For profiling one
// step of the service's CPU a span (bench/service.mjs) without HTTP, judging or settling.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { decodeTraceBody } from '../dist/http/trace-body.js';
import { readExport } from '../dist/http/traces.js';
import { createSignalsService } from '../dist/service/service.js';
import { openStore } from '../dist/store/libsql.js';
import { generateTraffic, replicate } from './traffic.mjs';

const SPANS = Number(process.env.BENCH_SPANS ?? 6_000);
const WARM = Number(process.env.BENCH_WARM ?? 2_000);
const dir = join(import.meta.dirname, '.data');
mkdirSync(dir, { recursive: true });
const path = join(dir, 'store-path.db');
for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });

const template = await generateTraffic({ sessions: 48, perExport: 200 });
const store = await openStore({ url: path });
const service = createSignalsService(store, {});
let replica = 0;
let index = 0;
/** The next export: its body and its spans as the route reads them. */
const next = () => {
  const body = replicate(template[index].json, replica, 'json');
  if (++index === template.length) {
    index = 0;
    replica++;
  }
  return { body, spans: readExport(decodeTraceBody(body, 'json').request).spans };
};
/** The main thread's own CPU µs (Linux: /proc/self/task/PID/stat, utime + stime in clock ticks of 10 ms), apart from other threads' (WAL checkpoints). */
const mainUs = () => {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return null;
  }
};
const cpuUs = (from) => {
  const c = process.cpuUsage(from);
  return c.user + c.system;
};
const run = async (total) => {
  let spans = 0;
  let cpu = 0;
  let main = 0;
  const bodies = [];
  while (spans < total) {
    const e = next();
    const t = process.cpuUsage();
    const m = mainUs();
    await service.ingest(e.spans);
    cpu += cpuUs(t);
    main += mainUs() - m;
    spans += e.spans.length;
    bodies.push(new TextDecoder().decode(e.body));
  }
  return { spans, cpu, main, bodies };
};
await run(WARM);
const r = await run(SPANS);
const parses = [];
for (let k = 0; k < 5; k++) {
  const t = process.cpuUsage();
  for (const b of r.bodies) JSON.parse(b);
  parses.push(cpuUs(t));
}
const parse = parses.sort((a, b) => a - b)[2];
const load = loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`store write path: ${r.spans.toLocaleString('en-US')} spans, ${(r.cpu / r.spans).toFixed(0)} µs CPU a span${mainUs() === null ? '' : ` (main thread ${(r.main / r.spans).toFixed(0)} µs)`} (JSON.parse of the same bodies: ${(parse / r.spans).toFixed(1)} µs a span, ${(r.cpu / parse).toFixed(1)}x) (load ${load})`);
await store.close();
