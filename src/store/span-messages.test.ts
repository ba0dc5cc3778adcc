import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageHash } from './message-hash.js';
import { MessageCollector, sameJson } from './span-messages.js';

/** What the collector must give a span: every message serialized and hashed on its own. */
function plainRefs(list: readonly unknown[]): string {
  return JSON.stringify(list.map((m) => messageHash(JSON.stringify(m))));
}

const json = fc.jsonValue({ maxDepth: 3 });

/** A fresh copy of a JSON value, objects with their keys reversed or kept in order. */
function copy(v: unknown, reversed: boolean): unknown {
  if (Array.isArray(v)) return v.map((x) => copy(x, reversed));
  if (typeof v !== 'object' || v === null) return v;
  const keys = Object.keys(v);
  if (reversed) keys.reverse();
  return Object.fromEntries(keys.map((k) => [k, copy((v as Record<string, unknown>)[k], reversed)]));
}
const message = fc.oneof(
  fc.record({ role: fc.constantFrom('user', 'assistant', 'tool'), content: fc.string({ maxLength: 12 }) }),
  fc.record({ content: fc.string({ maxLength: 6 }), role: fc.constantFrom('user', 'assistant') }),
  json,
  fc.constantFrom(-0, 0, Number.NaN, null, [undefined], { a: undefined }, [1, [2, { b: -0 }]]),
);

describe('MessageCollector', () => {
  it('gives every span the refs and rows of serializing and hashing each message, whatever the previous spans of its conversation held', () => {
    fc.assert(
      fc.property(
        fc.array(message, { maxLength: 12 }),
        // Each span: a prefix of the history (growing or not), with a message possibly replaced by an equal or a different value.
        fc.array(fc.record({ length: fc.nat(12), at: fc.nat(12), with: fc.option(message, { nil: undefined }), clone: fc.constantFrom('same', 'fresh', 'reversed') }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('s:a', 's:b'),
        (history, spans, conversation) => {
          const collector = new MessageCollector();
          const expected = new Map<string, string>();
          for (const span of spans) {
            let list: unknown[] = history.slice(0, span.length);
            // A fresh parse of the same history, as the next span's reader gives it.
            if (span.clone !== 'same') list = list.map((m) => copy(m, span.clone === 'reversed'));
            if (span.with !== undefined && span.at < list.length) list[span.at] = span.with;
            list = list.filter((m) => JSON.stringify(m) !== undefined);
            expect(collector.add('agent', conversation, list)).toEqual({ conversation, messageRefs: plainRefs(list) });
            for (const m of list) {
              const text = JSON.stringify(m);
              expected.set(messageHash(text), text);
            }
          }
          const rows = collector.rows();
          expect(new Map(rows.map((r) => [r.hash, r.content]))).toEqual(expected);
          expect(rows.every((r) => r.agent === 'agent' && r.conversation === conversation)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('serializes again a message the caller changed in place after its span was collected', () => {
    const collector = new MessageCollector();
    const first = { role: 'user', content: 'hello' };
    collector.add('agent', 's:mutated', [first]);
    first.content = 'changed';
    expect(collector.add('agent', 's:mutated', [first]).messageRefs).toBe(plainRefs([first]));
  });
});

describe('sameJson', () => {
  it('is true only when JSON.stringify writes the same text', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (a, b) => {
        let same: boolean;
        try {
          same = JSON.stringify(a) === JSON.stringify(b);
        } catch {
          return;
        }
        if (sameJson(a, b)) expect(same).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('is true for a fresh copy of a JSON value and false for one with its keys in another order', () => {
    fc.assert(
      fc.property(json, (v) => {
        expect(sameJson(copy(v, false), v)).toBe(JSON.stringify(v) !== undefined);
        expect(sameJson(copy(v, true), v)).toBe(JSON.stringify(copy(v, true)) === JSON.stringify(v));
      }),
      { numRuns: 1000 },
    );
  });

  it('tells apart key order, -0 inside text, class instances and toJSON', () => {
    expect(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameJson({ a: [1, 'x'] }, { a: [1, 'x'] })).toBe(true);
    expect(sameJson(new Date(0), new Date(0))).toBe(false);
    expect(sameJson({ toJSON: () => 1 }, { toJSON: () => 1 })).toBe(false);
    expect(sameJson(Number.NaN, Number.NaN)).toBe(false);
    const shared = { a: 1 };
    expect(sameJson(shared, shared)).toBe(false);
  });
});
