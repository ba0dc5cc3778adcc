/**
 * Issue 27, acceptance 2: two `signals serve` replicas (child processes of the built CLI) on one PostgreSQL
 * database. OTLP exports go to both alternately (some twice, to both, as a retrying exporter behind a load balancer
 * would send them); a backfill is started on one; an alert is evaluated by both; the replica advancing the backfill
 * is killed with SIGKILL in the middle of a batch. Afterwards every span is stored once, every target has exactly one
 * label per signal version, the run finished (the survivor took it over once its lease ran out), and the alert
 * notified a local webhook receiver exactly once per transition. Runs in the `postgres` project (it needs the cluster);
 * short leases come from the environment and every wait is on a condition with a generous deadline.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otlpTurn } from '../service/otlp-fixture.js';
import { answer, startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';
import { newStoreDir, removeStoreDir, testStoreUrl } from '../helpers/test-store.js';
import { receiver, type Receiver } from '../helpers/webhook-receiver.js';
import { BUILT_CLI as CLI } from '../helpers/built-cli.js';

const LEASE_MS = 3000;
/** Targets per backfill batch is the service's default (50); the window holds more than two batches. */
const BATCH = 50;

interface Replica {
  name: string;
  url: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** `signals serve --port 0` with `env`, resolved once it prints its URL. */
function serve(name: string, env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--host', '127.0.0.1'], {
    env: { ...process.env, ...env, SIGNALS_REPLICA_ID: name },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica ${name} did not start in 60 s:\n${out}`)), 60_000);
    void exited.then((code) => reject(new Error(`replica ${name} exited (${code}) before listening:\n${out}`)));
    child.stdout!.on('data', () => {
      const m = /signals service on (http:\/\/\S+)/.exec(out);
      if (m === null) return;
      clearTimeout(timer);
      resolve({ name, url: m[1]!, child, output: () => out, exited });
    });
  });
}

/** Waits until `check` returns a value (not undefined/false), polling; fails with `what` after `deadlineMs`. */
async function until<T>(what: string, check: () => Promise<T | undefined | false>, deadlineMs = 120_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${await diagnosis()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

/** Trace `n`'s id: the fixture derives span ids from the first 14 hex digits, so the number goes there. */
const hex = (n: number) => n.toString(16).padStart(14, '0').padEnd(32, 'a');
/** One OTLP/JSON export of several traces (one agent turn each). */
function exportOf(turns: { traceId: string; at: number; user: string }[]) {
  return { resourceSpans: turns.flatMap((t) => otlpTurn(t.traceId, t.at, t.user).resourceSpans) };
}

let dir: string;
let db: pg.Client;
let llm: FakeOpenAi;
let hooks: Receiver;
const replicas: Replica[] = [];

beforeAll(async () => {
  dir = newStoreDir('signals-replicas-');
  const url = await testStoreUrl(dir);
  llm = await startFakeOpenAi();
  // Every LLM verdict takes a while, so a backfill batch is long enough to be killed in the middle.
  llm.fallback = (req) => {
    // The transcript, not the prompt (which names refunds too), decides.
    const text = JSON.stringify(req.body);
    return { ...answer(/refund for order/.test(text) ? 'yes' : 'no'), delayMs: 150 };
  };
  hooks = await receiver();
  const env = {
    SIGNALS_DB: url,
    SIGNALS_DB_POOL: '4',
    SIGNALS_LEASE_MS: String(LEASE_MS),
    SIGNALS_TRACE_SETTLE_SECONDS: '1',
    SIGNALS_LLM_BASE_URL: llm.baseUrl,
    SIGNALS_LLM_MODEL: 'fake-model',
    SIGNALS_LLM_API_KEY: 'sk-replicas-test',
    SIGNALS_OUTBOUND_ALLOW: '127.0.0.1',
  };
  // Started together: the migrations run once, under the advisory lock.
  replicas.push(...(await Promise.all([serve('replica-a', env), serve('replica-b', env)])));
  db = new pg.Client({ connectionString: url });
  await db.connect();
}, 120_000);

afterAll(async () => {
  for (const r of replicas) {
    if (r.child.exitCode === null && r.child.signalCode === null) {
      r.child.kill('SIGTERM');
      await Promise.race([r.exited, new Promise((res) => setTimeout(res, 10_000))]);
      r.child.kill('SIGKILL');
    }
  }
  await db?.end();
  await llm?.close();
  await hooks?.close();
  removeStoreDir(dir);
});

/** What the store and the replicas say, for a failure message. */
async function diagnosis(): Promise<string> {
  const q = async (text: string) => JSON.stringify((await db.query(text)).rows);
  return [
    `alert_states: ${await q('select state, data, updated_at from alert_states')}`,
    `transitions: ${await q('select at, from_state, to_state from alert_transitions order by at')}`,
    `deliveries: ${await q('select channel, status, http_status, error from deliveries')}`,
    `leases: ${await q('select * from leases')}`,
    `runs: ${await q('select status, done, total, lease_owner, lease_until, error from runs')}`,
    `jobs: ${await q('select status, count(*) from llm_jobs group by status')}`,
    `labels: ${await q('select signal_id, status, count(*) from labels group by 1, 2')}`,
    ...replicas.map((r) => `${r.name} output:\n${r.output().slice(-3000)}`),
  ].join('\n');
}

const rows = async <T = Record<string, unknown>>(q: string, params: unknown[] = []) => (await db.query(q, params)).rows as T[];

describe('two signals serve replicas on one PostgreSQL', () => {
  it('store each span once, label each target once per version, finish a backfill after a SIGKILL, notify once per transition', { timeout: 600_000 }, async () => {
    const [a, b] = replicas as [Replica, Replica];
    // Signals: span rules (live, at ingest; the alert reads them), span rules-then-LLM (undecided spans become LLM
    // jobs), trace rules (labelled when traces settle), and an LLM trace signal left a draft for the backfill.
    const rulesOf = (name: string, scope: string, extra: Record<string, unknown> = {}) => ({
      name, agent: 'shop', scope, type: 'binary', prompt: 'Does the user ask for a refund?', judge: 'rules',
      rules: { when: [{ label: 'yes', if: { phrases: ['refund'] } }], default: 'no' }, ...extra,
    });
    await call(a.url, 'POST', '/v1/signals', { definition: rulesOf('refund-span', 'span'), state: 'active' });
    await call(b.url, 'POST', '/v1/signals', { definition: rulesOf('refund-cascade', 'span', { judge: 'rules-then-llm', rules: { when: [{ label: 'yes', if: { phrases: ['refund'] } }], default: 'undecided' } }), state: 'active' });
    await call(a.url, 'POST', '/v1/signals', { definition: rulesOf('refund-trace', 'trace'), state: 'active' });
    await call(b.url, 'POST', '/v1/signals', { definition: { name: 'refund-llm', agent: 'shop', scope: 'trace', type: 'binary', prompt: 'Does the user ask for a refund?', judge: 'llm' }, state: 'draft' });
    const alert = await call(a.url, 'POST', '/v1/alerts', {
      name: 'refunds-high', signal: 'refund-span', metric: 'true_rate', comparison: 'above', threshold: 0.5,
      window: '1h', every: '10s', for: '0s', cooldown: '24h', min_labels: 5,
      channels: [{ type: 'webhook', name: 'ops', url: `${hooks.url}/ok` }],
    });

    // Phase 1: 120 turns, two thirds asking for a refund, in exports of 4 sent to the replicas alternately; every
    // fifth export is sent to both (an exporter retrying through the load balancer).
    const sent = new Set<string>();
    let next = 0;
    const now = Date.now();
    const send = async (count: number, from: number, user: (i: number) => string, targets: Replica[]) => {
      for (let e = 0; e < count / 4; e++) {
        const turns = Array.from({ length: 4 }, (_, k) => {
          const i = next++;
          return { traceId: hex(i + 1), at: from + (e * 4 + k) * 100, user: user(i) };
        });
        for (const t of turns) sent.add(t.traceId);
        const to = targets[e % targets.length]!;
        const body = exportOf(turns);
        await call(to.url, 'POST', '/v1/traces', body);
        if (e % 5 === 0) await call(targets[(e + 1) % targets.length]!.url, 'POST', '/v1/traces', body);
      }
    };
    await send(120, now - 600_000, (i) => (i % 3 === 2 ? 'Where is my parcel?' : 'I want a refund for order ' + i), [a, b]);
    const phase1 = next;

    // The alert fires once (both replicas evaluate it every 10 s).
    await until('the firing notification', async () => hooks.received.length >= 1);

    // A backfill of the LLM signal over phase 1, started on replica A.
    const run = await call(a.url, 'POST', '/v1/signals/refund-llm/runs', { since: new Date(now - 3_600_000).toISOString(), until: new Date().toISOString() });
    expect(run.total).toBe(phase1);
    // Kill whichever replica is advancing it once a batch is committed and the next one is under way.
    const holder = await until('a batch committed and the next one in progress', async () => {
      const [r] = await rows<{ done: number; status: string; lease_owner: string | null; lease_until: number }>('select done, status, lease_owner, lease_until from runs where id = $1', [run.id]);
      if (r!.status !== 'queued' && r!.status !== 'running') throw new Error(`the run ended (${r!.status}, done ${r!.done}) before a replica could be killed mid-way`);
      return r!.done >= BATCH && r!.lease_owner !== null && Number(r!.lease_until) > Date.now() ? r : undefined;
    });
    const victim = replicas.find((r) => r.name === holder.lease_owner)!;
    const survivor = replicas.find((r) => r !== victim)!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    const killedAt = Date.now();
    const [atKill] = await rows<{ done: number; status: string }>('select done, status from runs where id = $1', [run.id]);
    expect(atKill).toMatchObject({ status: 'running' });
    expect(atKill!.done).toBeLessThan(phase1);

    // Phase 2, to the survivor only: 240 turns without refunds, so the alert resolves; dated after the backfill's
    // window, so the run's work stays phase 1's.
    await send(240, Date.now() + 1000, () => 'Where is my parcel?', [survivor]);

    // The survivor takes the run over once the dead replica's lease ran out, and finishes it.
    const finished = await until('the run to finish', async () => {
      const r = await call(survivor.url, 'GET', `/v1/runs/${run.id}`);
      return r.status === 'done' ? r : undefined;
    });
    expect(finished).toMatchObject({ status: 'done', done: phase1, total: phase1 });
    const takeover = Date.now() - killedAt;
    await until('the resolved notification', async () => hooks.received.some((h) => JSON.parse(h.body).type === 'alert.resolved'));
    await until('every LLM job closed', async () => Number((await rows<{ n: string }>("select count(*) as n from llm_jobs where status in ('pending', 'running')"))[0]!.n) === 0);
    await until('every trace settled', async () => Number((await rows<{ n: string }>('select count(*) as n from traces where revision > settled_revision'))[0]!.n) === 0);
    // Both replicas had a chance to evaluate again after the last transition: a duplicate would have arrived by now.
    const settledAt = Date.now();
    await until('two more alert evaluation instants', async () => Date.now() > settledAt + 21_000, 60_000);

    // Every span stored once: the two spans of every turn sent, no more.
    const [spanCount] = await rows<{ n: string; distinct: string }>('select count(*) as n, count(distinct (agent, trace_id, span_id)) as distinct from spans');
    expect(Number(spanCount!.n)).toBe(sent.size * 2);
    expect(Number(spanCount!.distinct)).toBe(sent.size * 2);
    expect(Number((await rows<{ n: string }>('select count(*) as n from traces'))[0]!.n)).toBe(sent.size);

    // Exactly one label per target and signal version.
    const dupes = await rows('select s.name, l.version, l.target_kind, l.agent, l.target_id, count(*) as n from labels l join signals s on s.id = l.signal_id group by 1, 2, 3, 4, 5 having count(*) <> 1');
    expect(dupes).toEqual([]);
    const perSignal = Object.fromEntries(
      (await rows<{ name: string; n: string }>('select s.name, count(*) as n from labels l join signals s on s.id = l.signal_id group by s.name')).map((r) => [r.name, Number(r.n)]),
    );
    // One chat span per turn carries the messages (the agent's root span has none to judge).
    expect(perSignal).toEqual({ 'refund-span': sent.size, 'refund-cascade': sent.size, 'refund-trace': sent.size, 'refund-llm': phase1 });
    const llmLabels = await rows<{ status: string; value: string; n: string }>("select l.status, l.value, count(*) as n from labels l join signals s on s.id = l.signal_id where s.name = 'refund-llm' group by 1, 2 order by 2");
    expect(llmLabels.map((r) => [r.status, r.value, Number(r.n)])).toEqual([
      ['labelled', 'no', phase1 / 3],
      ['labelled', 'yes', (phase1 * 2) / 3],
    ]);

    // The alert: ok → firing → ok, each transition recorded once and notified once.
    const history = (await call(survivor.url, 'GET', `/v1/alerts/${alert.id}/history`)) as { type: string; to?: string; at: string }[];
    const transitions = history.filter((h) => h.type === 'transition').reverse();
    expect(transitions.map((t) => t.to)).toEqual(['firing', 'ok']);
    const notified = hooks.received.map((h) => JSON.parse(h.body) as { type: string; at: string; repeat: boolean });
    expect(notified.map((n) => [n.type, n.at, n.repeat])).toEqual([
      ['alert.firing', transitions[0]!.at, false],
      ['alert.resolved', transitions[1]!.at, false],
    ]);
    // Figures for the record: a batch killed mid-way is judged again by the survivor (its LLM calls are repeated).
    const judged = Number((await rows<{ n: string }>("select count(*) as n from labels where judge = 'llm'"))[0]!.n);
    console.info(`replicas: killed ${victim.name} at ${atKill!.done}/${phase1}; run finished ${takeover} ms later (lease ${LEASE_MS} ms); ${llm.requests.length} LLM calls for ${judged} LLM labels`);
    // The killed replica is gone and the survivor still serves.
    expect(victim.child.signalCode).toBe('SIGKILL');
    expect((await fetch(`${survivor.url}/healthz`)).status).toBe(200);
  });
});
