/**
 * Exports recorded from the real instrumentation packages (test/instrumentations/ ran them against its fake OpenAI
 * server; save-fixture.mjs kept the exports) read back as the scripted conversation: every row once and in order,
 * whatever order the spans arrive in, with the built-in signals the conversation has and no others.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../core/analyze.js';
import type { Message, SignalReport } from '../../core/types.js';
import type { CapturedSpan } from '../captured-span.js';
import { assembleConversations } from './assemble.js';
import { isOpenAIAgentsExport, readOpenAIAgentsExport } from './openai-agents.js';
import { readSpans } from './read-spans.js';

const DIR = new URL('./recorded/', import.meta.url);
const APOLOGY = "I'm sorry, I couldn't get the weather for Paris: the weather service is not answering right now.";
const COMPLAINT = 'No, that is not what I asked. Forget it, I give up.';

/** What the scripted conversation is, written from the script (test/instrumentations/lib), not from the reader. */
function expected(scenario: string): Message[] {
  const tail: Message[] = [
    { from: 'human', value: COMPLAINT },
    { from: 'gpt', value: 'Understood, sorry I could not help.' },
  ];
  if (scenario === 'no-tool') return [{ from: 'human', value: "What's the weather in Paris?" }, { from: 'gpt', value: 'Paris usually has mild weather this time of year, around 15 degrees.' }, ...tail];
  // The error's wording is the framework's (a thrown error may be quoted or prefixed): it must carry the message.
  const observation = scenario === 'tool-throws' ? expect.stringContaining('503 Service Unavailable') : 'Error: 503 Service Unavailable (weather upstream for Paris)';
  // Streaming runs the tool that returns its error.
  return [
    { from: 'human', value: "What's the weather in Paris?" },
    { from: 'function_call', value: '{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}' },
    { from: 'observation', value: observation },
    { from: 'gpt', value: APOLOGY },
    ...tail,
  ];
}

function signalTypes(report: SignalReport): string[] {
  const groups = [...Object.values(report.interaction_signals), ...Object.values(report.execution_signals), ...Object.values(report.environment_signals)];
  return groups.flatMap((g) => g.signals.map((s) => s.signal_type));
}

interface Recording {
  package: string;
  scenario: string;
  exports: Array<{ path: string; body: unknown }>;
}

function spansOf(recording: Recording): CapturedSpan[] {
  return recording.exports
    .filter((e) => !e.path.endsWith('/logs'))
    .flatMap((e) => (isOpenAIAgentsExport(e.body as never) ? readOpenAIAgentsExport(e.body) : readSpans(e.body)).spans);
}

/** A few fixed permutations: as recorded, reversed, each rotation's reverse (enough to break any order assumption). */
function orders<T>(list: T[]): T[][] {
  const out = [list, [...list].reverse()];
  for (let k = 1; k < list.length; k++) out.push([...list.slice(k), ...list.slice(0, k)].reverse());
  return out;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

describe('recorded exports of real instrumentations', () => {
  it('has recordings', () => expect(files.length).toBeGreaterThan(0));
  for (const file of files) {
    const recording = JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as Recording;
    it(`${file} (${recording.package}, ${recording.scenario}) reads as the conversation in any span order`, () => {
      const spans = spansOf(recording);
      for (const order of orders(spans)) {
        const conversations = assembleConversations(order, 'session');
        expect(conversations).toHaveLength(1);
        expect(conversations[0].messages).toEqual(expected(recording.scenario));
      }
      const types = signalTypes(analyze(assembleConversations(spans, 'session')[0].messages));
      expect(types).toEqual(expect.arrayContaining(['interaction.misalignment.correction', 'interaction.disengagement.quit']));
      if (recording.scenario !== 'no-tool') expect(types).toContain('environment.exhaustion.api_error');
      expect(types.filter((t) => t === 'interaction.stagnation.repetition' || t.startsWith('execution.loops.'))).toEqual([]);
    });
  }
});
