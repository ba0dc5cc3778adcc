/**
 * Real instrumentation packages, each running the scripted conversation (weather in Paris, get_weather fails with
 * "503 Service Unavailable", the assistant apologises, the user gives up) against a local fake OpenAI server and
 * exporting with real OTLP exporters (JSON and protobuf) to the service over a temporary store. Each stored session
 * must read back as the conversation: every row once and in order, correction + quit (+ api_error where a tool
 * ran), no repetition or loop signal, the right agent. Runners live in runners/ (one child process per
 * instrumentation and encoding: instrumentations patch modules and register global providers).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { startNodeService, type NodeService } from '../../src/service/node-runner.js';
import type { Message, SignalReport } from '../../src/core/types.js';
// @ts-expect-error plain ESM helper of the harness
import { startFakeModel, TEXT } from './lib/fake-model.mjs';
import { INSTRUMENTATIONS, type Instrumentation } from './instrumentations.js';
import { readOpenAIAgentsExport } from '../../src/formats/traces/openai-agents.js';
import { assembleConversations } from '../../src/formats/traces/assemble.js';
import { analyze } from '../../src/core/analyze.js';

const QUESTION = "What's the weather in Paris?";
const COMPLAINT = 'No, that is not what I asked. Forget it, I give up.';
const AGENT = 'weather-agent';
const ENCODINGS = ['json', 'protobuf'] as const;
const ONLY = process.env.INSTRUMENTATIONS?.split(',');
/** A debugging aid: with HARNESS_DEBUG_DIR set, runners log their exports there and a failing test dumps the store. */
const DEBUG_DIR = process.env.HARNESS_DEBUG_DIR;

interface RunnerReport {
  scenarios: Record<string, { session?: string; trace?: string }>;
  /** Exports the runner's exporters failed (an SDK drops what they held and only logs it). */
  failedExports: Array<{ signal: string; items: number; names: string[]; error: string }>;
}

/** Runners at once (each is a Node process loading its SDK; the machine is shared). */
const CONCURRENCY = Number(process.env.INSTRUMENTATION_RUNNERS ?? 4);
/** A runner's whole life (its SDK's start, four scenarios, the flush): generous, the machine may be busy. */
const RUNNER_TIMEOUT_MS = 300_000;
const selected = INSTRUMENTATIONS.filter((i) => ONLY === undefined || ONLY.includes(i.name));
const reports = new Map<string, Promise<RunnerReport>>();

let model: { baseUrl: string; requests: Array<{ path: string; body: unknown }>; close(): Promise<void> };
let node: NodeService;
let server: NodeServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-instrumentations-'));
  model = await startFakeModel();
  node = await startNodeService({ SIGNALS_DB: join(dir, 'signals.db') }, { intervalMs: 60_000 });
  server = await startNodeServer({ ...configFromEnv({}), signals: node.service }, 0, '127.0.0.1');
  // Every runner starts now, a few at a time; each test waits for its own.
  const jobs = selected.flatMap((inst) => encodingsOf(inst).map((encoding) => ({ inst, encoding })));
  const starters = jobs.map(({ inst, encoding }) => {
    let start!: () => void;
    const started = new Promise<void>((resolve) => (start = resolve));
    const report = started.then(() => run(inst, encoding));
    report.catch(() => undefined);
    reports.set(`${inst.name}/${encoding}`, report);
    return { start, report };
  });
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < starters.length) {
      const job = starters[next++];
      job.start();
      await job.report.catch(() => undefined);
    }
  };
  for (let i = 0; i < CONCURRENCY; i++) void lane();
});

afterAll(async () => {
  await server?.close();
  await node?.stop();
  await model?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function run(inst: Instrumentation, encoding: string): Promise<RunnerReport> {
  const file = fileURLToPath(new URL(`./runners/${inst.runner}.cjs`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      env: {
        ...process.env,
        ...inst.env,
        MODEL_URL: model.baseUrl,
        SERVICE_URL: server.url,
        ENCODING: encoding,
        RUN_ID: `${inst.name}-${encoding}`,
        TRACES_INGEST_URL: `${model.baseUrl}/traces/ingest/${inst.name}-${encoding}`,
        ...(DEBUG_DIR !== undefined ? { EXPORT_LOG: join(DEBUG_DIR, `${inst.name}-${encoding}.exports.jsonl`) } : {}),
        OTEL_SERVICE_NAME: AGENT,
        // Vitest's NODE_ENV=test turns some SDKs' tracing off (the Agents SDK's): run as an app would.
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // A runner that hangs fails its tests instead of holding the run.
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, RUNNER_TIMEOUT_MS);
    // 'close', not 'exit': at 'exit' the child's stdout may still hold the report (seen on a busy CI machine).
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (DEBUG_DIR !== undefined) writeFileSync(join(DEBUG_DIR, `${inst.name}-${encoding}.runner.txt`), `exit ${code ?? signal} at ${Date.now()}\nstdout:\n${out}\nstderr:\n${err}`);
      // The report is the last line that is a JSON object (an SDK may print after it).
      const line = out.trim().split('\n').reverse().find((l) => l.startsWith('{')) ?? '';
      if (code === 0 && line !== '') return resolve(JSON.parse(line) as RunnerReport);
      const how = timedOut ? `timed out after ${RUNNER_TIMEOUT_MS} ms` : `exited ${code ?? signal}${code === 0 ? ' without a report' : ''}`;
      reject(new Error(`runner ${inst.runner} (${encoding}) ${how}\nstderr: ${err.slice(-1500)}\nstdout: ${out.slice(-500)}`));
    });
  });
}

function signalTypes(report: SignalReport): string[] {
  const groups = [
    ...Object.values(report.interaction_signals),
    ...Object.values(report.execution_signals),
    ...Object.values(report.environment_signals),
  ];
  return groups.flatMap((g) => g.signals.map((s) => s.signal_type));
}

/** The rows the conversation must read back as. */
function expectedRows(scenario: string): Array<[Message['from'], RegExp]> {
  const tail: Array<[Message['from'], RegExp]> = [
    ['human', new RegExp(`^${COMPLAINT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)],
    ['gpt', new RegExp(`^${TEXT.goodbye}$`)],
  ];
  if (scenario === 'no-tool') return [['human', /^What's the weather in Paris\?$/], ['gpt', new RegExp(`^${TEXT.generic}$`)], ...tail];
  return [
    ['human', new RegExp(`^${QUESTION.replace('?', '\\?')}$`)],
    ['function_call', /^\{"name":"get_weather","arguments":"\{\\"city\\":\\"Paris\\"\}"\}$/],
    ['observation', /503 Service Unavailable/],
    ['gpt', new RegExp(`^${TEXT.apology.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)],
    ...tail,
  ];
}

/** The encodings a package exports (the Agents SDK's own exporter sends JSON only). */
const encodingsOf = (inst: Instrumentation): readonly string[] => inst.encodings ?? (inst.via === 'agents-export' ? ['json'] : ENCODINGS);

/** The session as the formats read the Agents SDK's exports (all of the run's exports together). */
function agentsExportSession(inst: Instrumentation, encoding: string, session: string): { agent: string; messages: Message[]; report: SignalReport } {
  const bodies = model.requests.filter((r) => r.path === `/v1/traces/ingest/${inst.name}-${encoding}`).map((r) => r.body);
  // One export of every item the run sent: traces, agent spans and generations arrive in different batches.
  const items = bodies.flatMap((body) => (body as { data: unknown[] }).data);
  const spans = readOpenAIAgentsExport({ data: items }).spans;
  const conversation = assembleConversations(spans, 'session').find((c) => c.id === session);
  if (conversation === undefined) throw new Error(`no session ${session} in ${bodies.length} Agents SDK exports`);
  return { agent: String(conversation.meta?.agent), messages: conversation.messages, report: analyze(conversation.messages) };
}

async function target(ref: { session?: string; trace?: string }): Promise<{ agent: string; messages: Message[]; report: SignalReport }> {
  const kind = ref.session !== undefined ? 'session' : 'trace';
  const id = ref.session ?? ref.trace ?? '';
  // Exports land asynchronously after the runner flushed: poll briefly for the last row.
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${server.url}/v1/targets/${kind}/${encodeURIComponent(id)}`);
    if (res.ok) return (await res.json()) as never;
    if (attempt >= 20) throw new Error(`GET /v1/targets/${kind}/${id}: ${res.status} ${await res.text()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Writes what the service stored (agents, sessions, traces, the session's spans and target, a copy of the database) to DEBUG_DIR. */
async function dumpStore(name: string, ref: { session?: string; trace?: string }): Promise<void> {
  const get = async (path: string): Promise<unknown> => {
    const res = await fetch(`${server.url}${path}`);
    return { status: res.status, body: await res.json().catch(() => null) };
  };
  const dump = {
    at: Date.now(),
    ref,
    agents: await get('/v1/agents'),
    sessions: await get('/v1/sessions?limit=1000'),
    traces: await get('/v1/traces?limit=200'),
    sessionSpans: ref.session !== undefined ? await get(`/v1/sessions/${encodeURIComponent(ref.session)}/spans`) : undefined,
    target: await get(`/v1/targets/${ref.session !== undefined ? 'session' : 'trace'}/${encodeURIComponent(ref.session ?? ref.trace ?? '')}`),
  };
  writeFileSync(join(DEBUG_DIR!, `${name}.store.json`), JSON.stringify(dump, null, 1));
  for (const file of readdirSync(dir).filter((f) => f.startsWith('signals.db'))) copyFileSync(join(dir, file), join(DEBUG_DIR!, `${name}.${file}`));
}

for (const inst of selected) {
  describe(inst.name, () => {
    for (const encoding of encodingsOf(inst)) {
      for (const scenario of inst.scenarios) {
        it(`${encoding} ${scenario}`, async () => {
          const runner = await reports.get(`${inst.name}/${encoding}`)!;
          // A span its exporter dropped never reached the service: say so, rather than report the turn as misread.
          expect(runner.failedExports, 'exports the runner failed to deliver').toEqual([]);
          const ref = runner.scenarios[scenario];
          expect(ref, `runner reported no ${scenario}`).toBeDefined();
          const expected = expectedRows(scenario);
          let got = inst.via === 'agents-export' ? agentsExportSession(inst, encoding, ref.session ?? '') : await target(ref);
          // Content sent as log records may land just after the spans: give the last export a moment.
          for (let attempt = 0; inst.via !== 'agents-export' && got.messages.length < expected.length && attempt < 20; attempt++) {
            await new Promise((r) => setTimeout(r, 250));
            got = await target(ref);
          }
          if (DEBUG_DIR !== undefined && got.messages.length !== expected.length) await dumpStore(`${inst.name}-${encoding}-${scenario}`, ref);
          const rows = got.messages.map((m) => [m.from, m.value]);
          expect(rows.map(([from]) => from), JSON.stringify(rows, null, 1)).toEqual(expected.map(([from]) => from));
          expected.forEach(([, pattern], i) => expect(rows[i][1]).toMatch(pattern));
          const types = signalTypes(got.report);
          expect(types).toContain('interaction.misalignment.correction');
          expect(types).toContain('interaction.disengagement.quit');
          if (scenario !== 'no-tool') expect(types).toContain('environment.exhaustion.api_error');
          expect(types.filter((t) => t === 'interaction.stagnation.repetition' || t.startsWith('execution.loops.'))).toEqual([]);
          expect(got.agent).toBe(inst.agent ?? AGENT);
        });
      }
    }
  });
}
