import { inThreadJudge, type InlineJudge } from '../../src/service/judging.js';
import { defaultPorts } from '../../src/service/ports.js';

/**
 * An inline judge (the service's `inline` option) whose calls wait until `release()`, so a test holds an ingest inside
 * its turn of the store; `started` resolves once the first call began. Judges on this thread, as Workers do.
 */
export function heldJudge(): { judge: InlineJudge; started: Promise<void>; release: () => void } {
  const inner = inThreadJudge(defaultPorts());
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let began!: () => void;
  const started = new Promise<void>((resolve) => (began = resolve));
  const judge: InlineJudge = {
    async judge(targets, work, reports) {
      began();
      await gate;
      return inner.judge(targets, work, reports);
    },
    close: () => inner.close(),
  };
  return { judge, started, release: () => open() };
}
