// The review queue walks every current machine label of a signal once, in review-key order, page by page across the
// indexed sample (keys below REVIEW_SAMPLE_KEYS) and the rest; reviewed targets and other signals stay out.
// On libsql, PostgreSQL and D1.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { labelStatements, type NewLabel } from '../../src/store/labels.js';
import { REVIEW_SAMPLE_KEYS, reviewQueueRows, type ReviewCursor } from '../../src/store/learning.js';
import type { Store } from '../../src/store/types.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = newStoreDir('signals-review-queue-');
  store = await openTestStore(dir);
});
afterEach(async () => {
  await store.close();
  removeStoreDir(dir);
});

const label = (signalId: string, i: number, judge: NewLabel['judge']): NewLabel => ({
  signalId,
  version: 1,
  targetKind: 'trace',
  targetId: `trace-${i}`,
  agent: 'shop',
  revision: '1',
  status: 'labelled',
  value: i % 4 === 0 ? 'yes' : 'no',
  explanation: '',
  judge,
  reviewer: judge === 'human' ? 'ana' : null,
  at: 1_000 + i,
  labelledAt: 2_000 + i,
});

it('walks each unreviewed target once in review-key order, across the sample and the rest', async () => {
  const machine = Array.from({ length: 160 }, (_, i) => label('s', i, 'rules'));
  await store.batch(await labelStatements(store, [...machine, ...Array.from({ length: 20 }, (_, i) => label('other', i, 'rules'))]));
  // Reviewed: every 10th target (its human label becomes current).
  await store.batch(await labelStatements(store, Array.from({ length: 16 }, (_, k) => ({ ...label('s', k * 10, 'human'), labelledAt: 9_000 }))));
  const walked: { targetId: string; reviewKey: number; id: string }[] = [];
  let after: ReviewCursor | undefined;
  for (let page = 0; page < 100; page++) {
    const rows = await reviewQueueRows(store, 's', 7, after);
    walked.push(...rows);
    if (rows.length < 7) break;
    after = { reviewKey: rows[6].reviewKey, id: rows[6].id };
  }
  const expected = machine.filter((_, i) => i % 10 !== 0).map((l) => l.targetId);
  expect(walked.map((r) => r.targetId).sort()).toEqual(expected.sort());
  const keys = walked.map((r) => r.reviewKey);
  expect(keys).toEqual([...keys].sort((a, b) => a - b));
  // 144 targets: both parts of the queue were walked (a 16th of the keys is the sample).
  expect(keys.some((k) => k < REVIEW_SAMPLE_KEYS)).toBe(true);
  expect(keys.some((k) => k >= REVIEW_SAMPLE_KEYS)).toBe(true);
});
