import { describe, expect, it } from 'vitest';
import { parseDefinition } from './config.js';
import { judge } from './judge.js';
import { templateDefinition } from './templates/index.js';
import { sampleUnit } from './sample.js';
import { TestRequestError, testSignalRequest } from './test-request.js';
import { formatTestResult, testSignal } from './test-signal.js';
import type { Target } from './types.js';

const target = (id: string, text: string, agent = 'support'): Target => ({ kind: 'session', id, agent, messages: [{ from: 'human', value: text }], meta: {} });
const definition = parseDefinition({
  name: 'angry',
  scope: 'session',
  type: 'binary',
  prompt: 'Is the user angry?',
  rules: { when: [{ label: 'yes', if: { phrases: ['furious', 'this is useless'] } }], default: 'no' },
});

describe('testSignal', () => {
  const targets = Array.from({ length: 30 }, (_, i) => target(`t${i}`, i % 3 === 0 ? 'I am furious' : 'hello'));

  it('classifies the N targets with the lowest sampling unit and counts the labels', async () => {
    const result = await testSignal({ definition, targets, sample: 10 });
    const units = await Promise.all(targets.map(async (t) => ({ id: t.id, u: await sampleUnit('session', t.id) })));
    const expectedIds = units.sort((a, b) => a.u - b.u).slice(0, 10).map((x) => x.id);
    expect(result.rows.map((r) => r.id)).toEqual(expectedIds);
    const yes = expectedIds.filter((id) => Number(id.slice(1)) % 3 === 0).length;
    expect(result.distribution).toEqual({ yes, no: 10 - yes });
    expect(result.n).toBe(10);
    expect(result.rows.find((r) => r.label === 'yes')?.explanation).toBe('rule 1 → yes: message 0 (user) has "furious"');
    expect(formatTestResult(result)).toMatch(/^angry: 10 target\(s\)\n {2}yes/);
  });

  it('a larger sample contains the smaller one', async () => {
    const small = await testSignal({ definition, targets, sample: 5 });
    const large = await testSignal({ definition, targets: targets.slice().reverse(), sample: 15 });
    for (const row of small.rows) expect(large.rows.map((r) => r.id)).toContain(row.id);
  });

  it('shows targets outside the agent filter as skipped', async () => {
    const scoped = { ...definition, agent: 'billing' };
    const result = await testSignal({ definition: scoped, targets: [target('a', 'furious')], sample: 1 });
    expect(result.rows[0]).toMatchObject({ status: 'skipped', label: null, explanation: 'outside the filter: agent "support" is not "billing"' });
  });

  it('rejects a sample outside 1..100', async () => {
    await expect(testSignal({ definition, targets, sample: 0 })).rejects.toThrow(/1 to 100/);
    await expect(testSignal({ definition, targets, sample: 101 })).rejects.toThrow(/1 to 100/);
  });
});

describe('testSignalRequest (the HTTP body)', () => {
  const openai = { id: 'x1', messages: [{ role: 'user', content: 'You are useless, this is useless' }] };
  const sharegpt = { id: 'x2', conversations: [{ from: 'human', value: 'hello there' }] };

  it('reads conversations in any format and a template id', async () => {
    const r = await testSignalRequest({ template: 'frustration', conversations: [openai, sharegpt], sample: 2 });
    // Both records read (OpenAI and ShareGPT shapes) and judged as the template's own default judge judges them.
    const frustration = templateDefinition('frustration')!;
    const expected = {
      x1: (await judge(target('x1', 'You are useless, this is useless'), frustration)).label,
      x2: (await judge(target('x2', 'hello there'), frustration)).label,
    };
    expect(Object.fromEntries(r.rows.map((row) => [row.id, row.label]))).toEqual(expected);
    expect(r.rows.map((row) => row.judge)).toEqual([frustration.judge, frustration.judge]);
  });

  it('validates an inline definition with paths', async () => {
    const bad = { ...definition, type: 'labels', labels: [{ name: 'a' }] };
    const error = await testSignalRequest({ definition: bad, conversations: [openai], sample: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TestRequestError);
    expect((error as TestRequestError).problems).toContain('definition.labels: need 2 to 10 labels');
  });

  it('lists every problem of the request', async () => {
    const error = (await testSignalRequest({ template: 'nope', conversations: [], sample: 500 }).catch((e: unknown) => e)) as TestRequestError;
    expect(error.problems).toEqual([
      'template: unknown template "nope" (one of nsfw, jailbreak, refusal, frustration, sentiment, task-outcome)',
      'sample: an integer from 1 to 100',
      'conversations: a non-empty array of conversation records is required',
    ]);
    const shape = (await testSignalRequest({ template: 'nsfw', conversations: [42] }).catch((e: unknown) => e)) as TestRequestError;
    expect(shape.problems[0]).toMatch(/^conversations\[0\]: /);
  });
});
