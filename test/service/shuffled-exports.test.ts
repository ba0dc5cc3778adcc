/**
 * Issue 20 acceptance 3: order, agent and session do not depend on export batching or arrival order. Each recorded
 * conversation of a real instrumentation (test/helpers/recorded-exports.ts) is cut into its spans and log records,
 * those are dealt into exports of random sizes sent in random order (seeded), and each dealing is ingested into a
 * fresh store through the service, validated as the HTTP receivers validate. Every dealing must store one session
 * with the scripted rows in order, the same agent and the same session id as the exports sent as recorded.
 *
 * Every resource's service.name is the app's (weather-app), not the agent's: where the spans name the agent (an
 * invoke_agent span, an OpenInference AGENT span, a Langfuse agent observation), every span of the session must be
 * stored under that agent whether its agent span came before or after it (issue 20 item 7), else under the app.
 *
 * The unit of log records is the records of one span emitted at one instant: the contrib OpenAI instrumentation
 * stamps all of a call's request messages with the same millisecond, so their order exists only inside the export
 * that carries them (an SDK batch processor keeps them together); everything else is dealt one by one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateExport, validateLogsExport } from '../../src/otlp/validate.js';
import { createSignalsService } from '../../src/service/service.js';
import { sessions, spans, traces } from '../../src/store/schema.js';
import { mulberry32 } from '../../src/triage/prng.js';
import { expectedRows, recordings, type Recording } from '../helpers/recorded-exports.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';

const SEEDS = 8;
const CONCURRENT_SEEDS = 3;

type Json = Record<string, unknown>;
type Kind = 'traces' | 'logs' | 'agents';

/** One thing that travels in an export: a span (with its resource and scope), or a group of log records. */
interface Unit {
  kind: Kind;
  resource?: unknown;
  scope?: unknown;
  items: unknown[];
}

function kindOf(path: string): Kind {
  if (path.endsWith('/v1/logs')) return 'logs';
  if (path.includes('/traces/ingest')) return 'agents';
  return 'traces';
}

function unitsOf(recording: Recording): Unit[] {
  const units: Unit[] = [];
  for (const { path, body } of recording.exports) {
    const kind = kindOf(path);
    const top = kind === 'logs' ? 'resourceLogs' : 'resourceSpans';
    for (const r of (body as Json)[top] as Json[]) {
      for (const s of (r[kind === 'logs' ? 'scopeLogs' : 'scopeSpans'] ?? []) as Json[]) {
        const list = (s[kind === 'logs' ? 'logRecords' : 'spans'] ?? []) as Json[];
        if (kind === 'traces') {
          for (const span of list) units.push({ kind, resource: r.resource, scope: s.scope, items: [span] });
          continue;
        }
        // Log records of one span and one instant stay together, in their order.
        const groups = new Map<string, Unit>();
        for (const record of list) {
          const key = `${String(record.traceId)}/${String(record.spanId)}/${String(record.timeUnixNano)}`;
          let unit = groups.get(key);
          if (unit === undefined) {
            unit = { kind, resource: r.resource, scope: s.scope, items: [] };
            groups.set(key, unit);
            units.push(unit);
          }
          unit.items.push(record);
        }
      }
    }
  }
  return units;
}

function exportOf(kind: Kind, units: Unit[]): { kind: Kind; body: Json } {
  const [top, scopes, list] = kind === 'logs' ? ['resourceLogs', 'scopeLogs', 'logRecords'] : ['resourceSpans', 'scopeSpans', 'spans'];
  return { kind, body: { [top]: units.map((u) => ({ resource: u.resource, [scopes]: [{ scope: u.scope, [list]: u.items }] })) } };
}

/** The units shuffled, dealt into exports of 1 to 4 units (one kind each), the exports in a random order. */
function dealt(units: Unit[], seed: number): Array<{ kind: Kind; body: Json }> {
  const random = mulberry32(seed);
  const shuffle = <T>(list: T[]): T[] => {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  const exports: Array<{ kind: Kind; body: Json }> = [];
  for (const kind of ['traces', 'logs'] as const) {
    const mine = shuffle(units.filter((u) => u.kind === kind));
    for (let at = 0; at < mine.length; ) {
      const size = 1 + Math.floor(random() * 4);
      exports.push(exportOf(kind, mine.slice(at, at + size)));
      at += size;
    }
  }
  return shuffle(exports);
}

const APP = 'weather-app';
/** Recordings whose spans name the agent (weather-agent): the others are stored under the app's service name. */
const NAMING_AGENT = /^(langfuse|openinference-openai-agents|otel-openai)/;

/** The recording with every resource's service.name set to the app's. */
function asApp(recording: Recording): Recording {
  const exports = recording.exports.map(({ path, body }) => {
    const copy = structuredClone(body) as Json;
    for (const r of ((copy.resourceSpans ?? copy.resourceLogs ?? []) as Array<{ resource?: { attributes?: Array<{ key: string; value: unknown }> } }>)) {
      const rest = (r.resource?.attributes ?? []).filter((a) => a.key !== 'service.name');
      r.resource = { ...r.resource, attributes: [...rest, { key: 'service.name', value: { stringValue: APP } }] };
    }
    return { path, body: copy as unknown };
  });
  return { ...recording, exports };
}

let dir: string;
beforeAll(() => {
  dir = newStoreDir('signals-shuffled-');
});
afterAll(() => removeStoreDir(dir));

/** The exports ingested in order into a new store: its one session's agent, id and rows. */
async function sessionOf(name: string, exports: Array<{ kind: Kind; body: Json }>, at: 'one by one' | 'all at once' = 'one by one'): Promise<{ agent: string; id: string; rows: unknown[] }> {
  const store = await openTestStore(dir, name);
  try {
    const svc = createSignalsService(store);
    const send = ({ kind, body }: { kind: Kind; body: Json }) =>
      kind === 'logs' ? svc.ingestLogs(validateLogsExport(body).request) : svc.ingest(validateExport(body).request);
    if (at === 'all at once') await Promise.all(exports.map(send));
    else for (const e of exports) await send(e);
    const stored = await store.db.select({ agent: sessions.agent, id: sessions.id }).from(sessions);
    expect(stored).toHaveLength(1);
    // Every span and trace of the session under its one agent (none left behind under the service name).
    expect(new Set((await store.db.select({ agent: spans.agent }).from(spans)).map((r) => r.agent))).toEqual(new Set([stored[0].agent]));
    expect(new Set((await store.db.select({ agent: traces.agent }).from(traces)).map((r) => r.agent))).toEqual(new Set([stored[0].agent]));
    const target = await svc.api.target('session', stored[0].id, stored[0].agent);
    return { agent: stored[0].agent, id: stored[0].id, rows: target.messages.map((m) => ({ from: m.from, value: m.value })) };
  } finally {
    await store.close?.();
  }
}

describe('a recorded conversation dealt into random exports in random order is stored as the same session', () => {
  // The OpenAI Agents SDK's own exporter is not OTLP: `signals analyze` reads its exports as a whole file.
  for (const recording of recordings().filter((r) => r.exports.every((e) => kindOf(e.path) !== 'agents'))) {
    it(`${recording.file} (${recording.package}, ${recording.scenario}): ${SEEDS} dealings`, async () => {
      const app = asApp(recording);
      const units = unitsOf(app);
      const asRecorded = await sessionOf(`${recording.file}-recorded`, app.exports.map(({ path, body }) => ({ kind: kindOf(path), body: body as Json })));
      expect(asRecorded.rows).toEqual(expectedRows(recording.scenario));
      expect(asRecorded.agent).toBe(NAMING_AGENT.test(recording.file) ? 'weather-agent' : APP);
      for (let seed = 1; seed <= SEEDS; seed++) {
        const got = await sessionOf(`${recording.file}-${seed}`, dealt(units, seed));
        expect({ seed, ...got }).toEqual({ seed, ...asRecorded });
      }
      // Exporters send at the same moment (an SDK's trace and log exporters, several batch processors): every export
      // of a dealing in flight at once, as the receivers take concurrent requests.
      for (let seed = 1; seed <= CONCURRENT_SEEDS; seed++) {
        const got = await sessionOf(`${recording.file}-at-once-${seed}`, dealt(units, 100 + seed), 'all at once');
        expect({ seed, concurrent: true, ...got }).toEqual({ seed, concurrent: true, ...asRecorded });
      }
    });
  }
});
