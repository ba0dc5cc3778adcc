import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import type { Message } from '../../src/core/index.js';
import { corpusPath } from '../helpers/corpus.js';
import { expectPrefixesMatch } from '../helpers/incremental.js';

// The incremental analyzer against batch analysis on the corpus conversations. Checking every prefix of
// every conversation is quadratic, so: every prefix of one conversation in 40, the last row and three spread
// prefixes of all the others, with two snapshot/resume points each; and every prefix of a long run of
// conversations played back to back, which slides the default 100-row window for hundreds of rows.
const names = ['tau-bench', 'tau2-bench', 'mint-bench', 'sgd', 'synthetic'];

function conversationsOf(name: string): Message[][] {
  const path = [corpusPath('corpus', `${name}.sharegpt.jsonl`), corpusPath('parity', `${name}.sharegpt.jsonl`)].find(existsSync);
  if (!path) throw new Error(`no ShareGPT input for ${name} in the corpus directory`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { messages: Message[] }).messages);
}

describe('createAnalyzer equals analyze on the corpus', () => {
  it.each(names)('%s', (name) => {
    const conversations = conversationsOf(name);
    conversations.forEach((messages, k) => {
      const n = messages.length;
      const spread = new Set([n - 1, Math.floor(n / 4), Math.floor(n / 2), Math.floor((3 * n) / 4)]);
      const resume = new Set([Math.floor(n / 3), Math.floor((2 * n) / 3)]);
      const check = k % 40 === 0 ? () => true : (i: number) => spread.has(i);
      for (const options of [undefined, { maxMessages: Infinity }]) expectPrefixesMatch(messages, options, resume, check);
    });
    const run = conversations.slice(0, 40).flat();
    expectPrefixesMatch(run, undefined, new Set([150, 151, Math.floor(run.length / 2)]));
  });
});
