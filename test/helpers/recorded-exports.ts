/**
 * Exports recorded from the real instrumentation packages (test/instrumentations/ ran them against its fake OpenAI
 * server; save-fixture.mjs kept the exports, src/formats/traces/recorded/), and the conversation each one is: written
 * from the script (test/instrumentations/lib), not from any reader.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Message } from '../../src/core/types.js';

/** One recording: the package it came from, the scenario it ran, every export it sent (path and OTLP/JSON body). */
export interface Recording {
  file: string;
  package: string;
  scenario: string;
  exports: Array<{ path: string; body: unknown }>;
}

const DIR = new URL('../../src/formats/traces/recorded/', import.meta.url);

/** Every recording, by file name. */
export function recordings(): Recording[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as Omit<Recording, 'file'>) }));
}

const APOLOGY = "I'm sorry, I couldn't get the weather for Paris: the weather service is not answering right now.";
const COMPLAINT = 'No, that is not what I asked. Forget it, I give up.';

/** The rows of the scripted conversation of a scenario. */
export function expectedRows(scenario: string): Message[] {
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
