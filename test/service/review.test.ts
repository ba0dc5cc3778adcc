// Human labels: a reviewer's label (judge `human`, who and when) becomes a target's current label, no machine label
// given later replaces it, corrections keep history, undo restores the label before, and the agreement of every
// version with reviewers is counted from the stored labels. On libsql, PostgreSQL and D1 (the shared store suite).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSignalsService, type SignalsService } from '../../src/service/service.js';
import { ServiceError } from '../../src/service/api.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import type { Store } from '../../src/store/types.js';
import { labelStatements } from '../../src/store/labels.js';
import { refundSignal, turn } from './fixtures.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');
let dir: string;
let store: Store;
let service: SignalsService;
let clock: number;

beforeEach(async () => {
  dir = newStoreDir('signals-review-');
  store = await openTestStore(dir);
  clock = T0 + 3_600_000;
  service = createSignalsService(store, { now: () => clock });
  await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
  // Ten LLM spans labelled live by the rules: t0..t3 ask for a refund (yes), t4..t9 do not (no).
  await service.ingest(Array.from({ length: 10 }, (_, i) => turn({ traceId: `t${i}`, at: T0 + i * 60_000, user: i < 4 ? 'I want a refund' : 'thanks' })).flat());
});
afterEach(async () => {
  await store.close();
  removeStoreDir(dir);
});

const current = async (target: string) => (await service.api.labels('refund-span', { limit: 100 })).items.filter((l) => l.targetId === target);

describe('human labels', () => {
  it('stores who and when, becomes the current label, and no later machine label replaces it', async () => {
    const { api } = service;
    clock += 1000;
    const row = await api.review('refund-span', { id: 't0-llm', value: 'no', reviewer: 'ana' });
    expect(row).toMatchObject({ judge: 'human', reviewer: 'ana', value: 'no', version: 1, targetId: 't0-llm', agent: 'shop', superseded: false });
    expect(row.labelledAt).toBe(new Date(clock).toISOString());
    expect(await current('t0-llm')).toEqual([expect.objectContaining({ judge: 'human', value: 'no' })]);

    // A new version and a backfill relabel t0 by machine, later than the review: the review stays current.
    await api.editSignal('refund-span', { prompt: 'Does the user ask for their money back?' });
    clock += 1000;
    const run = await api.startRun('refund-span', { since: new Date(T0 - 60_000).toISOString(), until: new Date(clock).toISOString() });
    expect(await service.driveRun(run.id)).toBe('finished');
    expect((await api.getRun(run.id)).done).toBe(10);
    expect(await current('t0-llm')).toEqual([expect.objectContaining({ judge: 'human', value: 'no', reviewer: 'ana' })]);
    expect(await current('t1-llm')).toEqual([expect.objectContaining({ judge: 'rules', value: 'yes', version: 2 })]);

    // A correction is a new row; the history keeps the machine labels and both reviews.
    clock += 1000;
    await api.review('refund-span', { id: 't0-llm', value: 'yes', reviewer: 'bo', note: 'asks for money back' });
    const t0 = (await api.target('span', 't0-llm')).labels;
    expect(t0.map((l) => [l.judge, l.version, l.value, l.reviewer, l.superseded])).toEqual([
      ['human', 2, 'yes', 'bo', false],
      ['rules', 2, 'yes', null, true],
      ['human', 1, 'no', 'ana', true],
      ['rules', 1, 'yes', null, true],
    ]);
    expect(t0[0].explanation).toBe('asks for money back');
  });

  it('undo removes the review and the label before it is current again; a machine label cannot be removed', async () => {
    const { api } = service;
    clock += 1000;
    const first = await api.review('refund-span', { id: 't5-llm', value: 'yes', reviewer: 'ana' });
    clock += 1000;
    const second = await api.review('refund-span', { id: 't5-llm', value: 'no', reviewer: 'ana' });
    await api.removeReview('refund-span', second.id);
    expect(await current('t5-llm')).toEqual([expect.objectContaining({ id: first.id, judge: 'human', value: 'yes' })]);
    await api.removeReview('refund-span', first.id);
    expect(await current('t5-llm')).toEqual([expect.objectContaining({ judge: 'rules', value: 'no' })]);
    const machine = (await current('t5-llm'))[0];
    await expect(api.removeReview('refund-span', machine.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a label outside the version, a missing reviewer, an unknown target, each with a message', async () => {
    const { api } = service;
    const bad = async (input: Record<string, unknown>) => {
      const err = await api.review('refund-span', input as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServiceError);
      return (err as ServiceError).message;
    };
    expect(await bad({ id: 't0-llm', value: 'maybe', reviewer: 'ana' })).toMatch(/value: one of yes, no/);
    expect(await bad({ id: 't0-llm', value: 'yes' })).toMatch(/reviewer is required/);
    expect(await bad({ id: 't0-llm', value: 'yes', reviewer: '\u0007\n' })).toMatch(/reviewer is required/);
    expect(await bad({ id: 't0-llm', value: 'yes', reviewer: 'x'.repeat(101) })).toMatch(/at most 100/);
    expect(await bad({ id: 'nope', value: 'yes', reviewer: 'ana' })).toMatch(/No span "nope"/);
    expect(await bad({ id: 't0-llm', value: 'yes', reviewer: 'ana', version: 9 })).toMatch(/no version 9/);
    // Control characters in a name are blanked, not stored.
    expect((await api.review('refund-span', { id: 't0-llm', value: 'yes', reviewer: 'ana\nFAKE LINE' })).reviewer).toBe('ana FAKE LINE');
  });

  it("labels only its own agent's targets: another agent's trace (named, or sharing the id) is refused and never trained on", async () => {
    const { api } = service;
    // Agent "other" sends a span with the same id as shop's t0 and one of its own, both asking for a refund.
    await service.ingest([...turn({ traceId: 't0', at: T0 + 30 * 60_000, user: 'other refund text', agent: 'other' }), ...turn({ traceId: 'o1', at: T0 + 31 * 60_000, user: 'refund', agent: 'other' })]);
    const refused = async (input: Record<string, unknown>) => {
      const err = await api.review('refund-span', { value: 'yes', reviewer: 'mallory', ...input } as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServiceError);
      return err as ServiceError;
    };
    expect(await refused({ id: 'o1-llm' })).toMatchObject({ code: 'invalid', message: expect.stringMatching(/agent "other".*refund-span.*agent "shop"/) });
    expect(await refused({ id: 't0-llm', agent: 'other' })).toMatchObject({ code: 'invalid', message: expect.stringMatching(/agent "other"/) });
    // The id both agents sent names shop's span for shop's signal: no 409, and other's span keeps no human label.
    expect(await api.review('refund-span', { id: 't0-llm', value: 'no', reviewer: 'ana' })).toMatchObject({ agent: 'shop', targetId: 't0-llm' });
    expect((await api.target('span', 't0-llm', 'other')).labels.filter((l) => l.judge === 'human')).toEqual([]);
    expect((await api.target('span', 'o1-llm', 'other')).labels).toEqual([]);

    // A review of other's span stored before reviews were checked: learning leaves it out.
    for (let i = 1; i < 10; i++) await api.review('refund-span', { id: `t${i}-llm`, value: i < 4 ? 'yes' : 'no', reviewer: 'ana' });
    const before = await api.learn('refund-span', {});
    const stale = (await api.target('span', 't0-llm', 'shop')).labels[0];
    await store.batch(await labelStatements(store, [{ ...stale, ...stale.cost, agent: 'other', targetId: 'o1-llm', value: 'yes', at: T0, labelledAt: clock, reviewer: 'mallory', judge: 'human', runId: null }] as never));
    expect((await api.target('span', 'o1-llm', 'other')).labels).toEqual([expect.objectContaining({ judge: 'human', reviewer: 'mallory' })]);
    const after = await api.learn('refund-span', {});
    expect(after.examples + (after.heldout?.n ?? 0)).toBe(before.examples + (before.heldout?.n ?? 0));
    expect(after.source).toBe(before.source);
  });

  it('the queue walks unreviewed targets in a fixed order; agreement and kappa follow the reviews', async () => {
    const { api } = service;
    const page1 = await api.reviewQueue('refund-span', { limit: 6 });
    const page2 = await api.reviewQueue('refund-span', { limit: 6, cursor: page1.nextCursor! });
    const queued = [...page1.items, ...page2.items].map((l) => l.targetId);
    expect(new Set(queued).size).toBe(10);
    expect(page2.nextCursor).toBeNull();
    expect((await api.reviewQueue('refund-span', { limit: 6 })).items.map((l) => l.targetId)).toEqual(page1.items.map((l) => l.targetId));

    let report = await api.judges('refund-span');
    expect(report.versions[0]).toMatchObject({ version: 1, judge: 'rules', counts: { rules: 10 }, llm_share: 0, agreement: { n: 0, share: null } });
    // Agree on t0 (yes), t1 (yes), t4 (no), t5 (no); correct t2 (machine yes, human no).
    for (const [id, value] of [['t0', 'yes'], ['t1', 'yes'], ['t4', 'no'], ['t5', 'no'], ['t2', 'no']]) {
      clock += 1000;
      await api.review('refund-span', { id: `${id}-llm`, value, reviewer: 'ana' });
    }
    report = await api.judges('refund-span');
    const a = report.versions[0].agreement;
    expect(a).toMatchObject({ n: 5, agree: 4, share: 0.8, confusion: { yes: { yes: 2, no: 0 }, no: { yes: 1, no: 2 } }, by_judge: { rules: { n: 5, agree: 4 } } });
    // Human yes 2/5, no 3/5; machine yes 3/5, no 2/5: p_e = 0.4*0.6 + 0.6*0.4 = 0.48; kappa = (0.8-0.48)/0.52.
    expect(a.kappa).toBeCloseTo(0.32 / 0.52, 10);
    expect(report).toMatchObject({ reviewed: 5, reviewers: [{ name: 'ana', n: 5 }] });
    expect(report.versions[0].counts).toEqual({ rules: 10, human: 5 });
    const left = (await api.reviewQueue('refund-span', { limit: 50 })).items.map((l) => l.targetId).sort();
    expect(left).toEqual(['t3-llm', 't6-llm', 't7-llm', 't8-llm', 't9-llm']);
  });

  it('the queue keeps its order when its targets are relabelled, and refuses a cursor it did not give', async () => {
    const { api } = service;
    const before = (await api.reviewQueue('refund-span', { limit: 50 })).items.map((l) => l.targetId);
    expect(before).toHaveLength(10);
    // A new version and a backfill relabel every target: new labels, the same places in the queue.
    await api.editSignal('refund-span', { prompt: 'Does the user ask for their money back?' });
    clock += 1000;
    const run = await api.startRun('refund-span', { since: new Date(T0 - 60_000).toISOString(), until: new Date(clock).toISOString() });
    expect(await service.driveRun(run.id)).toBe('finished');
    const after = (await api.reviewQueue('refund-span', { limit: 50 })).items;
    expect(after.map((l) => l.version)).toEqual(Array(10).fill(2));
    expect(after.map((l) => l.targetId)).toEqual(before);
    for (const cursor of ['not a cursor', btoa('12:'), 'x']) {
      await expect(api.reviewQueue('refund-span', { cursor })).rejects.toMatchObject({ code: 'invalid' });
    }
  });
});

