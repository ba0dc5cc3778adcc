// The label rollups stay equal to the current labels whatever writes them: random machine labels (new versions and
// revisions superseding older ones), reviewers' labels, undo of a review, retention deleting a target's labels, from
// two store handles writing at once (two replicas). After every round the rollup tables, the distributions, the
// headline counts and the judges report's counts are compared with counts made here from every label row. On libsql,
// PostgreSQL and D1.
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { labelBuckets, labelHeadlines, labelStatements, type LabelRecord, type NewLabel } from '../../src/store/labels.js';
import { judgeCounts, removeHumanLabel } from '../../src/store/learning.js';
import { labelCounts, labels, labelTotals } from '../../src/store/schema.js';
import type { Store } from '../../src/store/types.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';

const SLOT = 300_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.parse('2026-11-01T00:00:00Z');
const SIGNALS = ['sig-a', 'sig-b'];
const TARGETS = Array.from({ length: 24 }, (_, i) => ({ agent: i % 3 === 0 ? 'b' : 'a', targetId: `t${i}` }));

let dir: string;
let a: Store;
let b: Store;

beforeEach(async () => {
  dir = newStoreDir('signals-rollups-');
  a = await openTestStore(dir);
  // A second handle on the same store: a second replica writing at the same time.
  b = await openTestStore(dir);
});
afterEach(async () => {
  await b.close();
  await a.close();
  removeStoreDir(dir);
});

/** A small seeded generator, so a failure replays. */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Current labels counted here from the rows: per signal, per (slot, key) and per key. */
async function expected(store: Store) {
  const rows = await store.db.select().from(labels);
  const current = rows.filter((r) => !r.superseded);
  const key = (r: LabelRecord) => r.value ?? r.status;
  const slots = new Map<string, number>();
  const totals = new Map<string, number>();
  for (const r of current) {
    const slot = Math.floor(r.at / SLOT) * SLOT;
    slots.set(`${r.signalId}|${slot}|${key(r)}`, (slots.get(`${r.signalId}|${slot}|${key(r)}`) ?? 0) + 1);
    totals.set(`${r.signalId}|${key(r)}`, (totals.get(`${r.signalId}|${key(r)}`) ?? 0) + 1);
  }
  const buckets = (signalId: string, since: number, until: number, bucketMs: number) => {
    const out: Record<string, number> = {};
    for (const r of current) {
      if (r.signalId !== signalId || r.at < since || r.at >= until) continue;
      const k = `${Math.floor((r.at - since) / bucketMs)}|${key(r)}`;
      out[k] = (out[k] ?? 0) + 1;
    }
    return out;
  };
  const recent = (signalId: string, since: number) => {
    const out: Record<string, number> = {};
    for (const r of current) if (r.signalId === signalId && r.at >= since) out[key(r)] = (out[key(r)] ?? 0) + 1;
    return out;
  };
  return { slots, totals, buckets, recent, labelled: (s: string) => current.filter((r) => r.signalId === s).length, rows };
}

async function compare(store: Store): Promise<void> {
  const want = await expected(store);
  const slots = new Map<string, number>();
  for (const r of await store.db.select().from(labelCounts)) if (Number(r.n) !== 0) slots.set(`${r.signalId}|${Number(r.slot)}|${r.key}`, Number(r.n));
  expect(slots).toEqual(want.slots);
  const totals = new Map<string, number>();
  for (const r of await store.db.select().from(labelTotals)) if (Number(r.n) !== 0) totals.set(`${r.signalId}|${r.key}`, Number(r.n));
  expect(totals).toEqual(want.totals);
  const windows: [number, number, number][] = [
    // Hourly over the whole span, ending mid-slot (the last slot is counted from the labels).
    [T0, T0 + 3 * DAY + 1_234_567, HOUR],
    [T0 - DAY, T0 + 4 * DAY, DAY],
    [T0 + 6 * HOUR, T0 + 30 * HOUR, 15 * 60_000],
    // Not a multiple of the slot: counted from the labels.
    [T0 + HOUR, T0 + 20 * HOUR + 17, 7 * 60_000],
    // Before 1970 and after: slots of negative times.
    [-2 * HOUR, T0 + 4 * DAY, 30 * DAY],
  ];
  for (const signalId of SIGNALS) {
    for (const [since, until, bucketMs] of windows) {
      const got: Record<string, number> = {};
      for (const r of await labelBuckets(store, signalId, since, until, bucketMs)) got[`${r.bucket}|${r.key}`] = r.n;
      expect(got, `${signalId} [${since}, ${until}) by ${bucketMs}`).toEqual(want.buckets(signalId, since, until, bucketMs));
    }
  }
  // The judges report's counts: labelled verdicts per version and judge (superseded or not) and their cost.
  for (const signalId of SIGNALS) {
    for (const version of [1, 2, 3]) {
      const want2: Record<string, { n: number; usd: number }> = {};
      for (const r of want.rows) {
        if (r.signalId !== signalId || r.version !== version || r.status !== 'labelled') continue;
        want2[r.judge] = { n: (want2[r.judge]?.n ?? 0) + 1, usd: (want2[r.judge]?.usd ?? 0) + r.usd };
      }
      const got = await judgeCounts(store, signalId, version);
      expect(Object.fromEntries(got.map((c) => [c.judge, c.n]))).toEqual(Object.fromEntries(Object.entries(want2).map(([j, c]) => [j, c.n])));
      for (const c of got) expect(c.usd).toBeCloseTo(want2[c.judge].usd, 9);
    }
  }
  for (const since of [T0 + DAY + 12_345, T0 + 2 * DAY, -HOUR - 1]) {
    const heads = await labelHeadlines(store, SIGNALS, since);
    for (const signalId of SIGNALS) {
      expect(heads.get(signalId)).toEqual({ labelled: want.labelled(signalId), recent: want.recent(signalId, since) });
    }
  }
}

describe('label rollups', () => {
  it('equal direct counts after random labels, relabels, reviews, undos and deletes from two writers', async () => {
    const random = generator(26);
    const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
    const atOf = new Map<string, number>();
    let clock = T0 + 5 * DAY;
    const targetAt = (t: { agent: string; targetId: string }) => {
      const k = `${t.agent}/${t.targetId}`;
      // A target keeps its traffic time, mostly; a later revision may move it (a trace that grew).
      if (!atOf.has(k) || random() < 0.2) atOf.set(k, random() < 0.1 ? -Math.floor(random() * HOUR) : T0 + Math.floor(random() * 3 * DAY));
      return atOf.get(k)!;
    };
    const label = (human: boolean): NewLabel => {
      const t = pick(TARGETS);
      const status = human ? 'labelled' : pick(['labelled', 'labelled', 'labelled', 'undecided', 'error'] as const);
      return {
        signalId: pick(SIGNALS),
        version: 1 + Math.floor(random() * 3),
        targetKind: 'span',
        targetId: t.targetId,
        agent: t.agent,
        revision: String(1 + Math.floor(random() * 3)),
        status,
        value: status === 'labelled' ? pick(['yes', 'no', 'no']) : null,
        explanation: '',
        judge: human ? 'human' : pick(['rules', 'llm', 'learned'] as const),
        reviewer: human ? 'ana' : null,
        usd: human ? 0 : Math.round(random() * 1000) / 100_000,
        at: targetAt(t),
        labelledAt: clock++,
      };
    };
    const write = async (store: Store) => {
      const rows = Array.from({ length: 1 + Math.floor(random() * 6) }, () => label(random() < 0.15));
      await store.batch(await labelStatements(store, rows));
    };
    const undo = async (store: Store) => {
      const humans = await store.db.select().from(labels).where(eq(labels.judge, 'human'));
      if (humans.length > 0) await removeHumanLabel(store, pick(humans));
    };
    const prune = async (store: Store) => {
      // What retention deletes: every label of a target.
      const t = pick(TARGETS);
      await store.batch([store.db.delete(labels).where(and(eq(labels.targetKind, 'span'), eq(labels.agent, t.agent), eq(labels.targetId, t.targetId)))]);
    };
    for (let round = 0; round < 30; round++) {
      const ops = Array.from({ length: 3 }, (_, i) => {
        const store = i % 2 === 0 ? a : b;
        const r = random();
        return r < 0.7 ? () => write(store) : r < 0.85 ? () => undo(store) : () => prune(store);
      });
      await Promise.all(ops.map((op) => op()));
      if (round % 5 === 4) await compare(a);
    }
    const { rows } = await expected(a);
    // The rounds exercised what they are meant to: superseded labels, reviews, and labels on both sides of 1970.
    expect(rows.some((r) => r.superseded)).toBe(true);
    expect(rows.some((r) => r.judge === 'human')).toBe(true);
    expect(rows.some((r) => r.at < 0 && !r.superseded)).toBe(true);
  });

  it('equal direct counts after bursts of concurrent batches on the same slots and targets', async () => {
    // Every batch counts into the same few rollup rows and relabels targets other batches relabel too.
    const batch = (k: number): NewLabel[] =>
      Array.from({ length: 12 }, (_, i) => ({
        signalId: SIGNALS[0],
        version: 1 + (k % 3),
        targetKind: 'span',
        targetId: `t${(k * 5 + i) % 16}`,
        agent: 'a',
        revision: String(1 + (i % 2)),
        status: 'labelled',
        value: (k + i) % 3 === 0 ? 'yes' : 'no',
        explanation: '',
        judge: 'rules',
        reviewer: null,
        at: T0 + ((k * 7 + i) % 4) * 60_000,
        labelledAt: T0 + k * 100 + i,
      }));
    for (let burst = 0; burst < 3; burst++) {
      await Promise.all(
        Array.from({ length: 8 }, async (_, k) => {
          const store = k % 2 === 0 ? a : b;
          await store.batch(await labelStatements(store, batch(burst * 8 + k)));
        }),
      );
      await compare(a);
    }
    // Columns no writer changes today, changed in place: the update triggers move the counts too.
    await a.batch([a.db.update(labels).set({ usd: 0.5, status: 'error', value: null, at: T0 - DAY }).where(eq(labels.targetId, 't3'))]);
    await b.batch([b.db.update(labels).set({ judge: 'llm', usd: 0.25 }).where(eq(labels.targetId, 't4'))]);
    await compare(a);
  });
});
