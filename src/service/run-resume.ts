import { resumeDueRuns, resumeRun, runsWaitingForDay } from '../store/runs.js';
import { providerOf } from './breakers.js';
import { providerHolds, signalHolds } from './caps.js';
import type { ServiceContext } from './context.js';
import { withCurrentCaps } from './labeller.js';
import { loadSignal } from './loading.js';

/**
 * Puts back to running the backfill runs a day cap paused that may go on: those whose cap's UTC day ended, and those
 * whose caps no longer hold them today (the signal's current version raised its day cap, as the ledger reads it for
 * every replica; the provider's own cap still holds its runs). Returns how many went on.
 */
export async function resumeRuns(ctx: ServiceContext, now: number): Promise<number> {
  let resumed = (await resumeDueRuns(ctx.store, now)).length;
  const waiting = await runsWaitingForDay(ctx.store, now);
  if (waiting.length === 0) return resumed;
  const providers = await providerHolds(ctx);
  for (const run of waiting) {
    const signal = await loadSignal(ctx, run.signalId, run.version).catch(() => undefined);
    if (signal === undefined) continue;
    const provider = providerOf(await withCurrentCaps(ctx, signal), ctx.providers)?.name ?? 'default';
    if (providers.has(provider) || (await signalHolds(ctx, [signal.row])).has(signal.row.id)) continue;
    if (await resumeRun(ctx.store, run.id, now)) resumed++;
  }
  return resumed;
}
