// The LLM spend ledger in the store (llm_usage): what every replica's requests booked against the day and run caps.
import { and, eq, inArray, lt, ne, notExists, or, sql, type SQL } from 'drizzle-orm';
import type { Usage, UsageAccount, UsageLedger } from '../custom/llm/budget.js';
import { llmUsage, runs } from './schema.js';
import { chunk } from './traffic.js';
import type { Store, StoreStatement } from './types.js';

const rowOf = (a: UsageAccount) => and(eq(llmUsage.account, a.account), eq(llmUsage.day, a.day));

/** Integers for the integer columns (an estimate may not be one). */
const whole = (d: Usage): Usage => ({ requests: Math.round(d.requests), tokens: Math.round(d.tokens), usd: d.usd });

/** `delta` added to an account's row. */
function added(d: Usage) {
  return { requests: sql`${llmUsage.requests} + ${d.requests}`, tokens: sql`${llmUsage.tokens} + ${d.tokens}`, usd: sql`${llmUsage.usd} + ${d.usd}` };
}

/** The row stays within `caps` with `delta` added (an uncapped limit is not compared: SQL has no Infinity). */
function within(caps: Usage, d: Usage): SQL[] {
  const out: SQL[] = [];
  if (caps.requests !== Infinity) out.push(sql`${llmUsage.requests} + ${d.requests} <= ${caps.requests}`);
  if (caps.tokens !== Infinity) out.push(sql`${llmUsage.tokens} + ${d.tokens} <= ${caps.tokens}`);
  if (caps.usd !== Infinity) out.push(sql`${llmUsage.usd} + ${d.usd} <= ${caps.usd}`);
  return out;
}

/**
 * The store's spend ledger. `take` books an account with one conditional UPDATE (the row is locked on PostgreSQL,
 * writes are serialised on SQLite), so two replicas booking the last request under a cap cannot both get it; when a
 * later account of the same request refuses, the earlier ones are given back.
 */
export function storeUsageLedger(store: Store): UsageLedger {
  const add = async (accounts: UsageAccount[], delta: Usage): Promise<void> => {
    const d = whole(delta);
    await store.batch(accounts.map((a): StoreStatement => store.db.update(llmUsage).set(added(d)).where(rowOf(a))));
  };
  return {
    add,
    async take(accounts, delta) {
      const d = whole(delta);
      const booked: UsageAccount[] = [];
      for (const a of accounts) {
        await store.db.insert(llmUsage).values({ account: a.account, day: a.day, requests: 0, tokens: 0, usd: 0 }).onConflictDoNothing();
        const rows = await store.db
          .update(llmUsage)
          .set(added(d))
          .where(and(rowOf(a), ...within(a.caps, d)))
          .returning({ account: llmUsage.account });
        if (rows.length > 0) {
          booked.push(a);
          continue;
        }
        if (booked.length > 0) await add(booked, { requests: -d.requests, tokens: -d.tokens, usd: -d.usd });
        const [row] = await store.db.select().from(llmUsage).where(rowOf(a));
        const used = { requests: Number(row?.requests ?? 0), tokens: Number(row?.tokens ?? 0), usd: Number(row?.usd ?? 0) };
        if (a.day !== '') {
          // What the refused request would have brought the day account to, for every replica's views (`dayUsage`).
          const refused = { requests: used.requests + d.requests, tokens: used.tokens + d.tokens, usd: used.usd + d.usd };
          await store.db
            .insert(llmUsage)
            .values({ account: REFUSED + a.account, day: a.day, ...refused })
            .onConflictDoUpdate({ target: [llmUsage.account, llmUsage.day], set: refused });
        }
        return { account: a, used };
      }
      return null;
    },
  };
}

/** Prefix of the row keeping a day account's last refused request (see `dayUsage`). */
const REFUSED = 'refused:';

/** What a day account holds, and its last refused request of the day (what it would have brought the account to). */
export interface DayUsage {
  used: Usage;
  refused?: Usage;
}

/** What `accounts` (`signal:ID`, `provider:NAME`) hold on `day`, with the last request each refused; absent: nothing. */
export async function dayUsage(store: Store, accounts: string[], day: string): Promise<Map<string, DayUsage>> {
  const out = new Map<string, DayUsage>();
  if (accounts.length === 0) return out;
  const names = [...accounts, ...accounts.map((a) => REFUSED + a)];
  const rows: (typeof llmUsage.$inferSelect)[] = [];
  for (const part of chunk(names, 1, store.maxParams - 1)) {
    rows.push(...(await store.db.select().from(llmUsage).where(and(eq(llmUsage.day, day), inArray(llmUsage.account, part)))));
  }
  const usage = (r: typeof llmUsage.$inferSelect): Usage => ({ requests: Number(r.requests), tokens: Number(r.tokens), usd: Number(r.usd) });
  for (const r of rows) if (!r.account.startsWith(REFUSED)) out.set(r.account, { used: usage(r) });
  for (const r of rows) {
    if (!r.account.startsWith(REFUSED)) continue;
    const account = r.account.slice(REFUSED.length);
    out.set(account, { used: out.get(account)?.used ?? { requests: 0, tokens: 0, usd: 0 }, refused: usage(r) });
  }
  return out;
}

/**
 * Statement deleting the day accounts of days before `day` (with their refusals), and the accounts of runs no
 * longer stored (a run's, day '', lives as long as its run).
 */
export function pruneUsage(store: Store, day: string): StoreStatement {
  const runGone = and(
    eq(llmUsage.day, ''),
    notExists(store.db.select({ id: runs.id }).from(runs).where(eq(sql`'run:' || ${runs.id}`, llmUsage.account))),
  );
  return store.db.delete(llmUsage).where(or(and(ne(llmUsage.day, ''), lt(llmUsage.day, day)), runGone));
}
