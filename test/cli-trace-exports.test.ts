/**
 * Issue 20 items 7 and 9 in the CLI: `signals analyze` on a JSON Lines file of trace exports (the Collector file
 * exporter's layout: one export per line) assembles the spans of the whole input, as `signals ingest` does: one
 * report per session, no partial reports, no error lines for exports that hold only a tool or agent span; the agent
 * comes from an agent span exported after the LLM spans it wraps. Inputs are the exports recorded from the real
 * packages (src/formats/traces/recorded/), with the resource's service.name changed to the app's name, so the agent
 * can only come from the spans that name it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordings, type Recording } from './helpers/recorded-exports.js';
import { BUILT_CLI as CLI } from './helpers/built-cli.js';

const APP = 'weather-app';
/** Recordings whose spans name the agent (an invoke_agent span, an OpenInference AGENT span, a Langfuse agent). */
const NAMING_AGENT = /langfuse|openinference-openai-agents/;

type Json = Record<string, unknown>;

/** The recording's trace exports with every resource's service.name set to the app's. */
function traceExports(recording: Recording): Json[] {
  return recording.exports
    .filter((e) => e.path.endsWith('/v1/traces'))
    .map((e) => {
      const body = structuredClone(e.body) as { resourceSpans: Array<{ resource?: { attributes?: Array<{ key: string; value: unknown }> } }> };
      for (const r of body.resourceSpans) {
        const rest = (r.resource?.attributes ?? []).filter((a) => a.key !== 'service.name');
        r.resource = { ...r.resource, attributes: [...rest, { key: 'service.name', value: { stringValue: APP } }] };
      }
      return body as unknown as Json;
    });
}

function signalTypes(report: Json): string[] {
  const layers = ['interaction_signals', 'execution_signals', 'environment_signals'].map((k) => report[k] as Record<string, { signals: Array<{ signal_type: string }> }>);
  return layers.flatMap((layer) => Object.values(layer).flatMap((g) => g.signals.map((s) => s.signal_type)));
}

/** Recordings of OTLP trace exports whose content is on the spans (the contrib OpenAI one puts it in log records). */
const traceRecordings = recordings().filter((r) => r.exports.every((e) => e.path.endsWith('/v1/traces')));

describe('signals analyze on a JSON Lines file of trace exports', () => {
  it('has recordings spread over several exports', () => {
    expect(traceRecordings.filter((r) => traceExports(r).length > 1).length).toBeGreaterThan(5);
  });

  // One file per recording: the recordings reuse their scenario's session ids.
  for (const recording of traceRecordings) {
    it(`${recording.file}: one report for the session, assembled across every line, the agent named by a later export`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'analyze-exports-'));
      const input = join(dir, 'exports.jsonl');
      const output = join(dir, 'reports.jsonl');
      writeFileSync(input, `${traceExports(recording).map((e) => JSON.stringify(e)).join('\n')}\n`);
      const otlp = join(dir, 'analysis.otlp.jsonl');
      const run = spawnSync(process.execPath, [CLI, 'analyze', input, '-o', output, '--otlp-out', otlp, '--quiet', '--threads', '2'], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const reports = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Json);
      expect(reports).toHaveLength(1);
      const [session] = reports;
      expect(session.error).toBeUndefined();
      const types = signalTypes(session.report as Json);
      expect(types).toEqual(expect.arrayContaining(['interaction.misalignment.correction', 'interaction.disengagement.quit']));
      if (recording.scenario !== 'no-tool') expect(types).toContain('environment.exhaustion.api_error');
      expect(types.filter((t) => t === 'interaction.stagnation.repetition' || t.startsWith('execution.loops.'))).toEqual([]);
      expect((session.meta as Json).agent).toBe(NAMING_AGENT.test(recording.file) ? 'weather-agent' : APP);

      // Item 10: the analysis span sits in the trace of the last LLM call, under a span of that same trace, and links
      // to the last LLM span and to a span of every other trace of the session.
      const traceOf = new Map<string, string>();
      for (const e of traceExports(recording) as Array<{ resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ traceId: string; spanId: string }> }> }> }>) {
        for (const r of e.resourceSpans) for (const sc of r.scopeSpans) for (const sp of sc.spans) traceOf.set(sp.spanId, sp.traceId);
      }
      const [analysis] = JSON.parse(readFileSync(otlp, 'utf8').trim()).resourceSpans[0].scopeSpans[0].spans as Array<{ traceId: string; parentSpanId: string; links?: Array<{ traceId: string; spanId: string }> }>;
      const meta = session.meta as { trace_id: string; span_id: string; trace_ids: string[] };
      expect(analysis.traceId).toBe(meta.trace_id);
      expect(traceOf.get(analysis.parentSpanId)).toBe(analysis.traceId);
      const links = analysis.links ?? [];
      for (const link of links) expect(traceOf.get(link.spanId), 'a link names a span of its trace').toBe(link.traceId);
      expect(new Set([analysis.traceId, ...links.map((l) => l.traceId)])).toEqual(new Set(meta.trace_ids));
      if (analysis.parentSpanId !== meta.span_id) expect(links).toContainEqual(expect.objectContaining({ traceId: meta.trace_id, spanId: meta.span_id }));
    });
  }

  it('reads the exports in any order of lines', () => {
    const recording = traceRecordings.find((r) => r.file.startsWith('openinference-openai-agents'))!;
    const dir = mkdtempSync(join(tmpdir(), 'analyze-exports-'));
    const input = join(dir, 'exports.jsonl');
    writeFileSync(input, `${traceExports(recording).reverse().map((e) => JSON.stringify(e)).join('\n')}\n`);
    const run = spawnSync(process.execPath, [CLI, 'analyze', input, '--quiet'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const reports = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Json);
    expect(reports).toHaveLength(1);
    expect((reports[0].meta as Json).agent).toBe('weather-agent');
    expect((reports[0].meta as Json).llm_calls).toBe(3);
  });
});
