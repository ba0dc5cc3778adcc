/**
 * Day-cap holds as users see them (`GET /v1/signals`, `GET /v1/providers`, `signals show`, the dashboard): read from
 * the store's spend ledger, so every replica (and a restarted process) says the same, whichever met the cap.
 */
import { capReason, dayEnd, dayHold, utcDay } from '../custom/llm/budget.js';
import { signalDayCaps } from '../custom/llm/config.js';
import { dayUsage } from '../store/usage.js';
import type { SignalRow } from '../store/signals.js';
import type { CapHold } from './api.js';
import type { ServiceContext } from './context.js';
import { currentDefinition } from './labeller.js';

/** Judges that never call an LLM: their signals have no LLM caps to meet. */
const FREE_JUDGES = new Set(['rules', 'learned']);

/**
 * The signals of `rows` that their own day cap (`llm.max_requests_per_day`, `llm.max_usd_per_day` of the current
 * version) holds today, by signal id: their LLM work waits for the next UTC day.
 */
export async function signalHolds(ctx: ServiceContext, rows: SignalRow[]): Promise<Map<string, CapHold>> {
  const caps = new Map<string, { requests: number; usd: number }>();
  for (const row of rows) {
    const definition = await currentDefinition(ctx, row).catch(() => undefined);
    if (definition === undefined || FREE_JUDGES.has(definition.judge)) continue;
    const day = signalDayCaps(definition.llm);
    if (day.requests !== Infinity || day.usd !== Infinity) caps.set(row.id, day);
  }
  return holds(ctx, caps, 'signal:', () => '');
}

/** The operator providers whose `max_usd_per_day` holds them today, by name. */
export async function providerHolds(ctx: ServiceContext): Promise<Map<string, CapHold>> {
  const caps = new Map<string, { requests: number; usd: number }>();
  for (const p of ctx.providers.values()) if (p.maxUsdPerDay !== Infinity) caps.set(p.name, { requests: Infinity, usd: p.maxUsdPerDay });
  return holds(ctx, caps, 'provider:', (name) => name);
}

async function holds(ctx: ServiceContext, caps: Map<string, { requests: number; usd: number }>, prefix: string, of: (key: string) => string): Promise<Map<string, CapHold>> {
  const out = new Map<string, CapHold>();
  if (caps.size === 0) return out;
  const day = utcDay(ctx.now());
  const ledger = await dayUsage(ctx.store, [...caps.keys()].map((k) => prefix + k), day);
  for (const [key, cap] of caps) {
    const usage = ledger.get(prefix + key);
    if (usage === undefined) continue;
    const held = dayHold(cap, usage.used, usage.refused);
    if (held === undefined) continue;
    out.set(key, { reason: capReason('day', of(key), held.limit, held.used, held.cap), until: dayEnd(day), ...held });
  }
  return out;
}
