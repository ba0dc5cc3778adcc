// Ingest throughput of `signals serve` by store: libsql (one process, a file) next to PostgreSQL with one replica and
// with two (two service processes on one database, the exports split between them), in the same run, on the
// realistic traffic of bench/traffic.mjs (exports of 200 spans, OTLP/JSON, four active signals, 4 clients).
//
// PostgreSQL: SIGNALS_BENCH_PG_URL names a server to use (a role that may create databases: each row gets a new
// database, dropped afterwards); without it a throwaway cluster is started with scripts/pg-cluster.sh and stopped at
// the end. Without PostgreSQL's server binaries the PostgreSQL rows are skipped with the reason printed.
// BENCH_REPLICA_SPANS sets the spans a row sends (default 6,000). After each row the store is counted: every span
// sent is stored exactly once, or the row fails.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { count } from 'drizzle-orm';
import { drive, startServer } from './service-driver.mjs';
import { generateTraffic } from './traffic.mjs';
import { openStoreFromEnv } from '../dist/store/open.js';
import { labels, spans } from '../dist/store/schema.js';

const TOTAL = Number(process.env.BENCH_REPLICA_SPANS ?? 6_000);
const CLIENTS = 4;
const TEMPLATES = ['jailbreak', 'nsfw', 'refusal', 'frustration'];
const SCRIPT = join(import.meta.dirname, '../scripts/pg-cluster.sh');
const dataDir = join(import.meta.dirname, '.data');
mkdirSync(dataDir, { recursive: true });

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const load = () => `load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;

/** Where PostgreSQL comes from: a given server, a throwaway cluster, or nothing (with the reason). */
function postgres() {
  const given = process.env.SIGNALS_BENCH_PG_URL?.trim();
  if (given) return { url: given, note: 'the server SIGNALS_BENCH_PG_URL names', stop: () => {} };
  const bins = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').filter((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)) : [];
  if (bins.length === 0) {
    return { skip: 'PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb: apt-get install postgresql) and SIGNALS_BENCH_PG_URL not set' };
  }
  const dir = mkdtempSync(join(tmpdir(), 'signals-bench-pg-'));
  try {
    const url = execFileSync('bash', [SCRIPT, 'start', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    return {
      url,
      note: 'a throwaway cluster (scripts/pg-cluster.sh: fsync off, synchronous_commit off)',
      stop: () => {
        execFileSync('bash', [SCRIPT, 'stop', dir], { stdio: 'ignore' });
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `the throwaway PostgreSQL cluster did not start: ${String(err.stderr ?? err.message).trim().split('\n').at(-1)}` };
  }
}

/** A new empty database `name` on the server at `base`; returns its URL and how to drop it. */
async function freshDatabase(base, name) {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`).finally(() => c.end());
    },
  };
}

/** Spans and labels in a store, counted through the same Store code the service uses. */
async function counted(db) {
  const store = await openStoreFromEnv({ SIGNALS_DB: db, SIGNALS_DB_POOL: '1' });
  try {
    const [s] = await store.db.select({ n: count() }).from(spans);
    const [l] = await store.db.select({ n: count() }).from(labels);
    return { spans: Number(s.n), labels: Number(l.n) };
  } finally {
    await store.close();
  }
}

/** One row: `replicas` service processes on `db` (the first creates the signals), the exports split between them. */
async function row(name, db, replicas, template) {
  const servers = [await startServer(db, TEMPLATES)];
  for (let k = 1; k < replicas; k++) servers.push(await startServer(db, []));
  try {
    const t0 = performance.now();
    const sent = await drive(servers.map((s) => s.url), template, 'json', TOTAL, { clients: CLIENTS });
    const wall = performance.now() - t0;
    const rate = (sent.spans / wall) * 1000;
    const stored = await counted(db);
    if (stored.spans !== sent.spans) throw new Error(`${name}: ${fmt(sent.spans)} spans sent, ${fmt(stored.spans)} stored`);
    console.log(`${name}: ${fmt(sent.spans)} spans in ${fmt(wall / 1000, 1)} s = ${fmt(rate)} spans/s; every span stored once, ${fmt(stored.labels)} labels so far (${load()})`);
    return rate;
  } finally {
    for (const s of servers) await s.stop();
  }
}

console.log(`\n## Ingest by store: ${fmt(TOTAL)} spans a row, OTLP/JSON exports of 200, ${CLIENTS} clients, 4 signals`);
const template = await generateTraffic({ sessions: 48, perExport: 200 });
const libsqlPath = join(dataDir, 'replicas.db');
for (const suffix of ['', '-wal', '-shm']) rmSync(libsqlPath + suffix, { force: true });
const libsql = await row('libsql, one process', libsqlPath, 1, template);

const server = postgres();
if (server.skip) {
  console.log(`PostgreSQL rows skipped: ${server.skip}`);
} else {
  const stopOnSignal = () => {
    server.stop();
    process.exit(130);
  };
  process.once('SIGINT', stopOnSignal);
  try {
    console.log(`PostgreSQL: ${server.note}`);
    const rates = [];
    for (const replicas of [1, 2]) {
      const db = await freshDatabase(server.url, `signals_bench_${replicas}`);
      try {
        rates.push(await row(`PostgreSQL, ${replicas === 1 ? 'one replica' : 'two replicas'}`, db.url, replicas, template));
      } finally {
        await db.drop();
      }
    }
    console.log(`  PostgreSQL / libsql: one replica ${fmt(rates[0] / libsql, 2)}x, two replicas ${fmt(rates[1] / libsql, 2)}x; two / one replica ${fmt(rates[1] / rates[0], 2)}x`);
  } finally {
    process.off('SIGINT', stopOnSignal);
    server.stop();
  }
}
