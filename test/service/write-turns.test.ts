// After judging, an export's label rows and its batch each start in a turn of the event loop of their own. They ran in the task in which the judge threads' answer arrived: building the label rows of a 4 MB
// export, reading which targets were labelled before and the batch's first 10 ms slice held the loop as one task,
// and /healthz waited (bench/service.mjs, the 4 MB part: event-loop p99 about 65 ms, with this about 45).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { inThreadJudge, type InlineJudge } from '../../src/service/judging.js';
import { defaultPorts } from '../../src/service/ports.js';
import { createSignalsService } from '../../src/service/service.js';
import type { Store } from '../../src/store/types.js';
import { newStoreDir, openTestStore, removeStoreDir } from '../helpers/test-store.js';
import { refundSignal, turn } from './fixtures.js';

const T0 = Date.parse('2026-12-01T10:00:00Z');
let dir: string;
let store: Store;

beforeEach(async () => {
  dir = newStoreDir('signals-write-turns-');
  store = await openTestStore(dir);
});
afterEach(async () => {
  await store.close();
  removeStoreDir(dir);
});

/**
 * The in-thread judge answering as a pool does: after a wait of its own (the threads' work), in a task of its own.
 * When it answers it asks for a turn of the loop, logged as `turn`; the store logs `batch` when a batch starts.
 */
function loggingJudge(log: string[]): InlineJudge {
  const inThread = inThreadJudge(defaultPorts());
  return {
    async judge(targets, work, reports, options) {
      const judged = await inThread.judge(targets, work, reports, options);
      await new Promise((resolve) => setTimeout(resolve, 20));
      setImmediate(() => log.push('turn'));
      return judged;
    },
    close: () => inThread.close(),
  };
}

function loggingStore(log: string[]): Store {
  return { ...store, batch: (statements) => (log.push('batch'), store.batch(statements)) };
}

it('writes an export and its span labels in a turn of the loop after the one that took the judges answer', async () => {
  const log: string[] = [];
  const service = createSignalsService(loggingStore(log), { now: () => T0, inline: loggingJudge(log) });
  await service.api.createSignal({ definition: refundSignal('span') as never, state: 'active' });
  log.length = 0;
  const result = await service.ingest(turn({ traceId: 't1', at: T0 - 5_000, user: 'I want a refund for my order' }));
  expect(result.labels).toBe(1);
  expect(log).toEqual(['turn', 'batch']);
});
