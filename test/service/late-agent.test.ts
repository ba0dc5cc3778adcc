/**
 * Issue 20 item 7: the agent of a span does not depend on export batching. A simple span processor sends each LLM
 * span before the agent span around it (which names the agent); the app's service.name is another name. The LLM spans
 * first stored under the service name move to the agent when its span arrives, and a span-scope signal of that agent
 * labels every one of them (it labelled none). Real exports: the recordings of the packages that name their agent on
 * a span (an invoke_agent span around the contrib OpenAI instrumentation's calls, an OpenInference AGENT span, a
 * Langfuse agent observation), sent as recorded with the resource's service.name set to the app's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { validateExport, validateLogsExport } from '../../src/otlp/validate.js';
import { createSignalsService } from '../../src/service/service.js';
import { labels, sessions, spans, traces } from '../../src/store/schema.js';
import { recordings } from '../helpers/recorded-exports.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';

type Json = Record<string, unknown>;
const APP = 'weather-app';
const AGENT = 'weather-agent';

let dir: string;
beforeAll(() => {
  dir = newStoreDir('signals-late-agent-');
});
afterAll(() => removeStoreDir(dir));

/** An export with every resource's service.name set to the app's. */
function asApp(body: unknown): Json {
  const copy = structuredClone(body) as Json;
  for (const r of (copy.resourceSpans ?? copy.resourceLogs ?? []) as Array<{ resource?: { attributes?: Array<{ key: string; value: unknown }> } }>) {
    r.resource = { ...r.resource, attributes: [...(r.resource?.attributes ?? []).filter((a) => a.key !== 'service.name'), { key: 'service.name', value: { stringValue: APP } }] };
  }
  return copy;
}

const signal = {
  name: 'mentions-weather',
  agent: AGENT,
  scope: 'span',
  type: 'binary',
  prompt: 'Does the model call mention the weather?',
  judge: 'rules',
  rules: { when: [{ label: 'yes', if: { phrases: ['weather'] } }], default: 'no' },
};

describe('an agent span arriving after the LLM spans it wraps', () => {
  const named = recordings().filter((r) => /^(langfuse|openinference-openai-agents|otel-openai-tool)/.test(r.file));
  it('has recordings that send LLM spans before their agent span', () => expect(named).toHaveLength(3));

  for (const recording of named) {
    it(`${recording.file}: every span under the agent, every LLM span labelled by the agent's span signal`, async () => {
      const store = await openTestStore(dir, recording.file);
      try {
        const svc = createSignalsService(store);
        await svc.api.createSignal({ definition: signal as never, state: 'active' });
        for (const { path, body } of recording.exports) {
          if (path.endsWith('/v1/logs')) await svc.ingestLogs(validateLogsExport(asApp(body)).request);
          else await svc.ingest(validateExport(asApp(body)).request);
        }
        const stored = await store.db.select({ agent: spans.agent, kind: spans.kind, spanId: spans.spanId, fallback: spans.agentFallback }).from(spans);
        expect(new Set(stored.map((s) => s.agent))).toEqual(new Set([AGENT]));
        expect(stored.filter((s) => s.fallback)).toEqual([]);
        expect(new Set((await store.db.select({ agent: traces.agent }).from(traces)).map((t) => t.agent))).toEqual(new Set([AGENT]));
        expect((await store.db.select({ agent: sessions.agent }).from(sessions)).map((s) => s.agent)).toEqual([AGENT]);
        const llm = stored.filter((s) => s.kind === 'llm').map((s) => s.spanId).sort();
        expect(llm.length).toBeGreaterThanOrEqual(3);
        const labelled = await store.db.select({ targetId: labels.targetId }).from(labels).where(and(eq(labels.agent, AGENT), eq(labels.targetKind, 'span')));
        expect(labelled.map((l) => l.targetId).sort()).toEqual(llm);
      } finally {
        await store.close?.();
      }
    });
  }
});
