// Driving `signals serve` processes for the service benchmarks (bench/service.mjs, bench/replicas.mjs): start one
// (bench/service-server.mjs, its own process) and POST the traffic of bench/traffic.mjs to one or several of them.
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { replicate } from './traffic.mjs';

/**
 * Starts bench/service-server.mjs on the store `db` (a libsql path or a postgres:// URL), creating an active signal
 * per template (none: a replica joining a store whose signals exist); resolves with its URL, the signals it created and
 * `ask(message)` for its IPC answers.
 */
export async function startServer(db, templates, env = {}) {
  const child = fork(join(import.meta.dirname, 'service-server.mjs'), {
    env: {
      ...process.env,
      SIGNALS_DB: db,
      BENCH_TEMPLATES: templates.join(','),
      SIGNALS_TRACE_SETTLE_SECONDS: '2',
      SIGNALS_SESSION_IDLE_MINUTES: '0.1',
      SIGNALS_MAX_BODY_BYTES: String(16 * 1024 * 1024),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // BENCH_EXEC_ARGS: Node/V8 flags for the service (`--v8-pool-size=1`, `--trace-gc`); BENCH_CPU_PROF=DIR: a V8 CPU
    // profile of the service (open it in Chrome DevTools).
    execArgv: process.env.BENCH_EXEC_ARGS ? process.env.BENCH_EXEC_ARGS.split(' ').filter(Boolean) : process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [],
  });
  let failed = null;
  child.once('exit', (code) => (failed = new Error(`service exited with ${code}`)));
  const next = () => (failed !== null ? Promise.reject(failed) : new Promise((resolve) => child.once('message', resolve)));
  const { url, signals } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`service exited with ${code} before it listened`)));
  });
  return {
    url,
    /** The signals it created: `{ template, scope, judge }` each. */
    signals,
    ask: (message) => {
      const answer = next();
      child.send(message);
      return answer;
    },
    stop: async () => {
      if (failed !== null) return;
      child.send('stop');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

const TYPES = { json: 'application/json', protobuf: 'application/x-protobuf' };

/**
 * POSTs replicas of the template exports with `clients` concurrent clients until `total` spans are in; `url` is one
 * service or a list of them, which then take the exports in turn (export i goes to url i mod n).
 */
export async function drive(url, template, encoding, total, { clients = 2, firstReplica = 0, onProgress = () => {} } = {}) {
  const urls = Array.isArray(url) ? url : [url];
  let replica = firstReplica;
  let index = 0;
  let sent = 0;
  let requests = 0;
  let done = 0;
  const bodies = [];
  const client = async () => {
    while (sent < total) {
      const e = template[index];
      const body = replicate(e[encoding], replica, encoding);
      if (++index === template.length) {
        index = 0;
        replica++;
      }
      sent += e.spans;
      const target = urls[requests++ % urls.length];
      const answer = await post(`${target}/v1/traces`, TYPES[encoding], body);
      if (answer.status !== 200) throw new Error(`POST /v1/traces answered ${answer.status}: ${answer.body}`);
      done += e.spans;
      bodies.push(e);
      onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return { replica: replica + 1, spans: done, bodies };
}

/** Kept-alive connections for the clients, as an exporter keeps its own. */
const agent = new Agent({ keepAlive: true });

/**
 * POSTs one export with node:http, as the OpenTelemetry JS OTLP/HTTP exporters do (fetch costs the client several
 * times the CPU, taken from the two cores the service is measured on); resolves with the status and the answer text.
 */
function post(url, type, body) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': type, 'content-length': body.length } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
