/**
 * Distillation end to end: a deterministic fake LLM (a local OpenAI-compatible server that labels by a fixed rule)
 * labels generated traffic, `signals learn` trains the learned judge from those labels and saves it as
 * learned-then-llm, and on new traffic the cascade sends at most the share it stated to the LLM and agrees with the
 * LLM's rule at the stated level. Nothing here is third-party data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generatedConversations, oracle } from '../../bench/generated-targets.mjs';
import { startNodeService, type NodeService } from '../../src/service/node-runner.js';
import type { LearnReport } from '../../src/service/api.js';
import { cli } from '../helpers/cli-run.js';
import { answer, startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';
import { turn } from './fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
let dir: string;
let fake: FakeOpenAi;
let running: NodeService;
let env: Record<string, string>;

/** The user's words inside the judge's request (the transcript holds them verbatim). */
const askedAbout = (body: { messages?: { content?: string }[] }): string => (body.messages ?? []).map((m) => m.content ?? '').join('\n');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-learn-'));
  fake = await startFakeOpenAi();
  fake.fallback = (seen) => answer(oracle(askedAbout(seen.body)), 'fake rule', { prompt_tokens: 400, completion_tokens: 20 });
  env = {
    SIGNALS_DB: join(dir, 'signals.db'),
    SIGNALS_LLM_BASE_URL: fake.baseUrl,
    SIGNALS_LLM_MODEL: 'fake-model',
    SIGNALS_LLM_API_KEY: 'sk-test',
    SIGNALS_LLM_PRICE_INPUT_PER_1K: '0.001',
    SIGNALS_LLM_PRICE_OUTPUT_PER_1K: '0.002',
    SIGNALS_OUTBOUND_ALLOW: '127.0.0.1',
  };
  running = await startNodeService(env, { intervalMs: 50 });
});
afterAll(async () => {
  await running?.stop();
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ingest = async (seed: number, n: number, from: number) => {
  const conversations = generatedConversations(n, seed);
  for (let i = 0; i < n; i += 50) {
    const spans = conversations.slice(i, i + 50).flatMap((c, k) => turn({ traceId: c.id, at: T0 + (from + i + k) * 1000, user: c.messages[0].value, answer: c.messages[1].value }));
    await running.service.ingest(spans);
  }
  return conversations;
};

describe('signals learn: distillation from LLM labels, then the cascade', () => {
  it('trains on the LLM labels, states agreement and the LLM share, and the cascade keeps both on new traffic', async () => {
    const { api } = running.service;
    await api.createSignal({
      definition: { name: 'lift-rules', agent: 'shop', scope: 'span', type: 'binary', prompt: 'Does the user try to make the assistant ignore its rules?', judge: 'llm' } as never,
      state: 'active',
    });
    const first = await ingest(1, 500, 0);
    // Two spans per trace: only the LLM span carries the conversation, so 500 targets are labelled.
    await vi.waitFor(async () => expect((await api.labels('lift-rules', { limit: 500 })).items.filter((l) => l.status === 'labelled')).toHaveLength(500), {
      timeout: 120_000,
      interval: 200,
    });
    expect(fake.requests.length).toBe(500);
    expect(first.filter((c) => c.meta.label === 'yes').length).toBeGreaterThan(100);

    // Measured first: nothing changes without --yes.
    const measured = await cli(['learn', 'lift-rules', '--db', env.SIGNALS_DB]);
    expect(measured.err).toBe('');
    expect(measured.code).toBe(0);
    expect(measured.out).toMatch(/Agreement on the held-out part \(\d+ labels not trained on\): accuracy \d+\.\d%, macro-F1 [01]\.\d{3}/);
    expect(measured.out).toMatch(/\| labelled \\ learned \| yes \| no \|/);
    expect(measured.out).toMatch(/Nothing changed/);
    expect((await api.getSignal('lift-rules')).version).toBe(1);

    const saved = await cli(['learn', 'lift-rules', '--db', env.SIGNALS_DB, '--yes', '--json']);
    expect(saved.code).toBe(0);
    const report = JSON.parse(saved.out) as LearnReport;
    expect(report.applied).toEqual({ version: 2 });
    expect(report.judge).toBe('learned-then-llm');
    expect(report.heldout!.n + report.examples).toBe(500);
    expect(report.heldout!.accuracy).toBeGreaterThanOrEqual(0.95);
    const stated = report.cascade!;
    expect(stated.target).toBe(0.95);
    expect(stated.agreement).toBeGreaterThanOrEqual(0.95);
    const signal = await api.getSignal('lift-rules');
    expect(signal.version).toBe(2);
    expect(signal.definition.judge).toBe('learned-then-llm');
    expect(signal.definition.learned?.threshold).toBe(stated.threshold);

    // New traffic (another seed): the learned judge labels inline, the LLM only what it is unsure of.
    const before = fake.requests.length;
    const next = await ingest(2, 400, 1000);
    const fresh = async () => (await api.labels('lift-rules', { limit: 500 })).items.filter((l) => l.version === 2 && l.status === 'labelled');
    await vi.waitFor(async () => expect(await fresh()).toHaveLength(400), { timeout: 120_000, interval: 200 });
    const labels = await fresh();
    const sent = fake.requests.length - before;
    expect(labels.filter((l) => l.judge === 'llm')).toHaveLength(sent);
    // At most the stated share, with the slack of sampling 400 new targets (3 standard errors).
    const slack = 3 * Math.sqrt((Math.max(stated.llm_share, 0.01) * (1 - stated.llm_share)) / 400);
    expect(sent / 400).toBeLessThanOrEqual(stated.llm_share + slack);
    const truth = new Map(next.map((c) => [`${c.id}-llm`, oracle(c.messages[0].value)]));
    const agree = labels.filter((l) => l.value === truth.get(l.targetId)).length / labels.length;
    expect(agree).toBeGreaterThanOrEqual(stated.target);
    expect(labels.filter((l) => l.judge === 'learned').length).toBeGreaterThan(0);
  }, 400_000);
});
