import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from './libsql.js';
import { messages } from './schema.js';
import { keepMessageTexts, MessageCollector, messageStatements, MessageTexts, readMessages } from './span-messages.js';
import type { Store } from './types.js';

// Reads with kept texts must give exactly what reading every text from the store gives, whatever was kept, evicted
// or deleted meanwhile: the oracle is a second store object on the same file that keeps nothing.
describe('readMessages with kept message texts', () => {
  let dir: string;
  let keeping: Store;
  let plain: Store;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'message-texts-'));
    const url = join(dir, 's.db');
    keeping = await openStore({ url });
    plain = await openStore({ url });
  });

  afterAll(async () => {
    await keeping.close();
    await plain.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const conversations = ['s:a', 's:b', 't:c', 's:\u0000nul'];
  const agents = ['agent', 'other'];
  const text = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('x'.repeat(300), 'lone \ud800 surrogate'));
  const step = fc.oneof(
    // Spans stored: each a list of messages in one conversation.
    fc.record({ store: fc.array(fc.record({ agent: fc.constantFrom(...agents), conversation: fc.constantFrom(...conversations), texts: fc.array(text, { maxLength: 6 }) }), { minLength: 1, maxLength: 4 }) }),
    // Some stored messages deleted (as retention does), after texts may have been kept.
    fc.record({ drop: fc.record({ agent: fc.constantFrom(...agents), conversation: fc.constantFrom(...conversations), every: fc.integer({ min: 1, max: 3 }) }) }),
    // A read of every span so far.
    fc.record({ read: fc.constant(true) }),
  );

  it('gives the same messages (or unreadable) as reading every text from the store', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), fc.constantFrom(200, 100_000), async (steps, maxChars) => {
        round++;
        keepMessageTexts(keeping, maxChars);
        const spans: { agent: string; conversation: string; messageRefs: string }[] = [];
        for (const s of steps) {
          if ('store' in s) {
            const collector = new MessageCollector();
            for (const span of s.store) {
              const content = collector.add(span.agent, `${span.conversation}#${round}`, span.texts.map((t) => ({ role: 'user', content: t })));
              spans.push({ agent: span.agent, ...content });
            }
            await keeping.batch(await messageStatements(keeping, collector.rows()));
          } else if ('drop' in s) {
            const conversation = `${s.drop.conversation}#${round}`;
            const stored = await plain.db.select({ hash: messages.hash }).from(messages).where(and(eq(messages.agent, s.drop.agent), eq(messages.conversation, conversation)));
            const gone = stored.map((m) => m.hash).filter((_, i) => i % s.drop.every === 0);
            if (gone.length > 0) await plain.db.delete(messages).where(and(eq(messages.agent, s.drop.agent), eq(messages.conversation, conversation), inArray(messages.hash, gone)));
          } else {
            const [mine, theirs] = [await readMessages(keeping, spans), await readMessages(plain, spans)];
            for (const span of spans) expect(mine(span)).toEqual(theirs(span));
          }
        }
        const [mine, theirs] = [await readMessages(keeping, spans), await readMessages(plain, spans)];
        for (const span of spans) expect(mine(span)).toEqual(theirs(span));
      }),
      { numRuns: 60 },
    );
  });
});

describe('MessageTexts', () => {
  it('keeps at most its characters: the texts used since the last two generations began', () => {
    const kept = new MessageTexts(16);
    kept.set('a', 'xxxx');
    kept.set('b', 'yyyy');
    // A third text starts a generation; a and b are the old one.
    kept.set('c', 'zzzz');
    expect(kept.get('a')).toBe('xxxx');
    // a moved to the young generation (c, a); the next text starts another and b is dropped.
    kept.set('d', 'wwww');
    expect([kept.get('a'), kept.get('b'), kept.get('c'), kept.get('d')]).toEqual(['xxxx', undefined, 'zzzz', 'wwww']);
    kept.set('e', 'v'.repeat(9));
    expect(kept.get('e')).toBeUndefined();
  });
});
