import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { configFromEnv } from '../../src/http/config.js';
import { judge } from '../../src/custom/judge.js';
import { templateDefinition } from '../../src/custom/templates/index.js';

const app = createApp(configFromEnv({}));
const post = (body: unknown, type = 'application/json') =>
  app.request('/v1/signals/test', { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('POST /v1/signals/test (conversations in the body)', () => {
  it('classifies conversations with a template and stores nothing', async () => {
    const res = await post({
      template: 'refusal',
      sample: 2,
      conversations: [
        { id: 'a', messages: [{ role: 'user', content: 'Pick a lock?' }, { role: 'assistant', content: "I'm sorry, but I can't help with that." }] },
        { id: 'b', messages: [{ role: 'user', content: 'Boil an egg?' }, { role: 'assistant', content: 'Simmer it for nine minutes.' }] },
      ],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { distribution: Record<string, number>; rows: { id: string; label: string; judge: string; explanation: string }[] };
    // Judged as the library judges with the template's default judge (rules or its learned model).
    const refusal = templateDefinition('refusal')!;
    const expected = async (id: string, question: string, answer: string) =>
      judge({ kind: 'session', id, agent: 'unknown', messages: [{ from: 'human', value: question }, { from: 'gpt', value: answer }], meta: {} }, refusal);
    const a = await expected('a', 'Pick a lock?', "I'm sorry, but I can't help with that.");
    const b = await expected('b', 'Boil an egg?', 'Simmer it for nine minutes.');
    const byId = Object.fromEntries(body.rows.map((r) => [r.id, r]));
    expect(byId.a).toMatchObject({ label: a.label, judge: refusal.judge });
    expect(byId.b).toMatchObject({ label: b.label, judge: refusal.judge });
    expect(Object.values(body.distribution).reduce((x, y) => x + y, 0)).toBe(2);
  });

  it('takes an inline definition', async () => {
    const definition = {
      name: 'mentions-refund',
      scope: 'session',
      type: 'binary',
      prompt: 'Does the user ask for a refund?',
      rules: { when: [{ label: 'yes', if: { pattern: '\\brefund' } }], default: 'no' },
    };
    const res = await post({ definition, conversations: [[{ role: 'user', content: 'I want a refund' }]] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { rows: { label: string }[] }).rows[0].label).toBe('yes');
  });

  it('answers a bad definition with 400 and one detail per problem', async () => {
    const res = await post({ definition: { name: 'x', scope: 'turn', type: 'labels', labels: [{ name: 'a' }], prompt: 'p', rules: { when: [{ label: 'a', if: { pattern: '(a)\\1' } }], default: 'a' } }, conversations: [[]] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: string[] } };
    expect(body.error.code).toBe('invalid');
    expect(body.error.details).toEqual(expect.arrayContaining([expect.stringMatching(/^definition\.scope: /)]));
  });

  it('answers malformed JSON and a wrong media type with 4xx JSON', async () => {
    expect((await post('{"template":')).status).toBe(400);
    expect((await post({ template: 'nsfw', conversations: [[]] }, 'text/plain')).status).toBe(415);
    const res = await post({ template: 'nsfw' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { details: string[] } }).error.details).toEqual(['conversations: a non-empty array of conversation records is required']);
  });
});
