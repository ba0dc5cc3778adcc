import { readFile } from 'node:fs/promises';
import type { Message } from '../core/types.js';
import type { CapturedSpan } from '../formats/captured-span.js';
import { conversationToSpans } from '../service/demo-traffic.js';

const DAY = 86_400_000;

/**
 * The bundled sample (corpus/sample.sharegpt.jsonl) as one agent's traffic over the day before `now`: one session
 * per conversation, spread evenly with a few minutes of jitter, turns 30-90 s apart (the layout of `npm run demo`).
 */
export async function sampleTraffic(agent: string, now: number): Promise<CapturedSpan[][]> {
  const text = await readFile(new URL('../../corpus/sample.sharegpt.jsonl', import.meta.url), 'utf8');
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.map((line, i) => {
    const conversation = JSON.parse(line) as { messages: Message[] };
    return conversationToSpans(conversation.messages, {
      agent,
      sessionId: `sample-session-${String(i + 1).padStart(2, '0')}`,
      startMs: now - DAY + Math.floor(((i + 0.5) * DAY) / lines.length) + ((i * 7919) % 300) * 1000,
      turnMs: 30_000 + ((i * 104_729) % 60) * 1000,
      traceIdPrefix: `5a${(i + 1).toString(16).padStart(4, '0')}`,
    });
  });
}
