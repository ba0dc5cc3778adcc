/**
 * Exports recorded from the real instrumentation packages (test/instrumentations/ ran them against its fake OpenAI
 * server; save-fixture.mjs kept the exports) read back as the scripted conversation: every row once and in order,
 * whatever order the spans arrive in (content sent as log records joined to its span), with the built-in signals the
 * conversation has and no others.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../core/analyze.js';
import type { SignalReport } from '../../core/types.js';
import { validateLogsExport } from '../../otlp/validate.js';
import { expectedRows, recordings, type Recording } from '../../../test/helpers/recorded-exports.js';
import type { CapturedSpan } from '../captured-span.js';
import { assembleConversations } from './assemble.js';
import { isOpenAIAgentsExport, readOpenAIAgentsExport } from './openai-agents.js';
import { readLogRecords, withLogRecords } from './log-records.js';
import { readSpans } from './read-spans.js';

function signalTypes(report: SignalReport): string[] {
  const groups = [...Object.values(report.interaction_signals), ...Object.values(report.execution_signals), ...Object.values(report.environment_signals)];
  return groups.flatMap((g) => g.signals.map((s) => s.signal_type));
}

/** The spans of a recording, with the GenAI events its logs exports carry joined to them. */
function spansOf(recording: Recording): CapturedSpan[] {
  const records = recording.exports.filter((e) => e.path.endsWith('/logs')).flatMap((e) => readLogRecords(validateLogsExport(e.body).request).records);
  return recording.exports
    .filter((e) => !e.path.endsWith('/logs'))
    .flatMap((e) => (isOpenAIAgentsExport(e.body as never) ? readOpenAIAgentsExport(e.body) : readSpans(e.body)).spans)
    .map((span) => withLogRecords(span, records.filter((r) => r.traceId === span.traceId && r.spanId === span.spanId)));
}

/** A few fixed permutations: as recorded, reversed, each rotation's reverse (enough to break any order assumption). */
function orders<T>(list: T[]): T[][] {
  const out = [list, [...list].reverse()];
  for (let k = 1; k < list.length; k++) out.push([...list.slice(k), ...list.slice(0, k)].reverse());
  return out;
}


describe('recorded exports of real instrumentations', () => {
  it('has recordings', () => expect(recordings().length).toBeGreaterThan(0));
  for (const recording of recordings()) {
    it(`${recording.file} (${recording.package}, ${recording.scenario}) reads as the conversation in any span order`, () => {
      const spans = spansOf(recording);
      for (const order of orders(spans)) {
        const conversations = assembleConversations(order, 'session');
        expect(conversations).toHaveLength(1);
        expect(conversations[0].messages).toEqual(expectedRows(recording.scenario));
      }
      const types = signalTypes(analyze(assembleConversations(spans, 'session')[0].messages));
      expect(types).toEqual(expect.arrayContaining(['interaction.misalignment.correction', 'interaction.disengagement.quit']));
      if (recording.scenario !== 'no-tool') expect(types).toContain('environment.exhaustion.api_error');
      expect(types.filter((t) => t === 'interaction.stagnation.repetition' || t.startsWith('execution.loops.'))).toEqual([]);
    });
  }
});
