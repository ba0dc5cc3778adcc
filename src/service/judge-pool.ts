import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina, queueOptionsSymbol, type TaskQueue } from 'piscina';
import type { Target, Verdict } from '../custom/types.js';
import type { InlineJudge, InlineJudged, InlineWork } from './judging.js';
import type { JudgeTask, JudgeTaskResult } from './judge-worker.js';
import { yieldToLoop } from './slices.js';
import { destroyWhenLoaded } from './pool-threads.js';

/** Where the compiled worker entry lives (next to this module in dist/). */
export const JUDGE_WORKER_URL = new URL('./judge-worker.js', import.meta.url);

/**
 * A task carries at most this many targets or characters of message text: posting a task copies it on the main
 * thread (Piscina posts the next queued task as a thread answers), so a post must stay short.
 */
const TASK_TARGETS = 32;
const TASK_CHARS = 256_000;

/**
 * A deferrable call's tasks are this many times smaller: a thread judging a settling task (whole sessions: the
 * longest targets) holds up the export waiting behind it, which holds the store's turn, until the task ends.
 */
const DEFERRABLE_SHRINK = 8;

/** After this many tasks of waited-for calls in a row, a deferrable task waiting goes next. */
const WAITED_RUN = 3;

/** A task as Piscina queues it. */
type QueuedTask = Parameters<TaskQueue['push']>[0];

/** A task as posted: the payload, with how it may wait (read by `JudgeTaskQueue`, never sent to the thread). */
type PostedTask = JudgeTask & { [queueOptionsSymbol]?: { deferrable: boolean } };

/**
 * The pool's queue of tasks waiting for a thread, in two lanes: tasks of calls someone waits for (an export holding
 * the store's turn until its span labels are in) go before deferrable ones (settling pages), except that a
 * deferrable task goes after every `WAITED_RUN` waited-for tasks while any waits. One thread judges both: in one
 * FIFO an export's tasks queued behind a settling page's, and the turn (which every export takes in turn) waited.
 */
export class JudgeTaskQueue implements TaskQueue {
  private readonly waited: QueuedTask[] = [];
  private readonly deferrable: QueuedTask[] = [];
  private run = 0;
  /** `run` before the last `shift`, for a task Piscina puts back (`unshift`: no thread took it). */
  private runBefore = 0;

  get size(): number {
    return this.waited.length + this.deferrable.length;
  }

  push(task: QueuedTask): void {
    (this.isDeferrable(task) ? this.deferrable : this.waited).push(task);
  }

  shift(): QueuedTask | null {
    this.runBefore = this.run;
    if (this.deferrable.length > 0 && (this.waited.length === 0 || this.run >= WAITED_RUN)) {
      this.run = 0;
      return this.deferrable.shift()!;
    }
    const task = this.waited.shift();
    if (task === undefined) return null;
    this.run++;
    return task;
  }

  /** Puts back the task the last `shift` gave, which no thread took: it goes next again. */
  unshift(task: QueuedTask): void {
    this.run = this.runBefore;
    (this.isDeferrable(task) ? this.deferrable : this.waited).unshift(task);
  }

  remove(task: QueuedTask): void {
    for (const lane of [this.waited, this.deferrable]) {
      const at = lane.indexOf(task);
      if (at >= 0) {
        lane.splice(at, 1);
        return;
      }
    }
  }

  private isDeferrable(task: QueuedTask): boolean {
    return (task[queueOptionsSymbol] as { deferrable?: boolean } | null)?.deferrable === true;
  }
}

/** Settings of the judge pool. */
export interface JudgePoolOptions {
  /** Worker threads (default: the cores but one, at least one: the main thread parses requests and writes the store). */
  threads?: number;
  /** The worker entry (default: `judge-worker.js` beside this module). */
  filename?: URL;
}

/**
 * A Piscina pool of threads that judge live targets with the free judges, so the service's event loop stays free
 * for requests while an export or a page of settled sessions is judged. Targets go to the threads as plain data in
 * tasks of at most 32 targets or 256 K characters of text (a deferrable call's: 4 targets or 32 K); definitions go by
 * key (`id@version`), sent in full only to a thread that answers it lacks them, and each thread keeps them with their
 * compiled rules and caches.
 */
export function judgePool(options: JudgePoolOptions = {}): InlineJudge {
  const threads = options.threads ?? Math.max(1, availableParallelism() - 1);
  const pool = new Piscina<PostedTask, JudgeTaskResult>({
    filename: (options.filename ?? JUDGE_WORKER_URL).href,
    minThreads: threads,
    maxThreads: threads,
    taskQueue: new JudgeTaskQueue(),
    // A task no thread could take yet goes back to the head of its lane, not to the tail (Piscina's default).
    stricterFIFO: true,
  });
  const runTask = async (task: PostedTask, work: InlineWork[]): Promise<InlineJudged> => {
    const first = await pool.run(task);
    if ('verdicts' in first) return first;
    const byKey = new Map(work.map((w) => [w.key, w.definition]));
    const again = await pool.run({ ...task, definitions: Object.fromEntries(first.missing.map((key) => [key, byKey.get(key)!])) });
    if ('verdicts' in again) return again;
    throw new Error(`judge thread lacks definitions it was sent: ${again.missing.join(', ')}`);
  };
  return {
    async judge(targets, work, reports = [], options = {}) {
      // Cut the targets into tasks; each task carries the work and reports that concern its targets, renumbered.
      const needed = [...new Set([...work.flatMap((w) => w.targets), ...reports])].sort((a, b) => a - b);
      const chunks: number[][] = [];
      const shrink = options.deferrable === true ? DEFERRABLE_SHRINK : 1;
      let chunk: number[] = [];
      let chars = 0;
      for (const i of needed) {
        const size = textSize(targets[i]);
        if (chunk.length > 0 && (chunk.length >= TASK_TARGETS / shrink || chars + size > TASK_CHARS / shrink)) {
          chunks.push(chunk);
          chunk = [];
          chars = 0;
        }
        chunk.push(i);
        chars += size;
      }
      if (chunk.length > 0) chunks.push(chunk);
      const pending: Promise<InlineJudged>[] = [];
      const reportAt = new Map<number, [part: number, k: number]>();
      const parts: { of: number; targets: number[] }[][] = [];
      for (const c of chunks) {
        const local = new Map(c.map((i, k) => [i, k]));
        const mine = work.map((w, of) => ({ ...w, of, targets: w.targets.filter((i) => local.has(i)) })).filter((w) => w.targets.length > 0);
        const wanted = reports.filter((i) => local.has(i));
        wanted.forEach((i, k) => reportAt.set(i, [parts.length, k]));
        parts.push(mine);
        const task: PostedTask = {
          ...packTargets(c.map((i) => targets[i])),
          work: mine.map((w) => ({ key: w.key, targets: w.targets.map((i) => local.get(i)!) })),
          reports: wanted.map((i) => local.get(i)!),
          // A symbol key: the structured clone that posts the task leaves it out.
          [queueOptionsSymbol]: { deferrable: options.deferrable === true },
        };
        const part = runTask(task, mine);
        // Promise.all below sees a failure only once every task is posted: one that fails before (a task refused, a
        // thread gone) would be an unhandled rejection meanwhile, which ends a Node process.
        part.catch(() => undefined);
        pending.push(part);
        // Posting a task copies its targets on this thread: one task per turn of the event loop.
        await yieldToLoop();
      }
      const results = await Promise.all(pending);
      // Back to the caller's shape: verdicts per work item in its target order.
      const at = work.map(() => new Map<number, Verdict>());
      results.forEach((r, p) => {
        parts[p].forEach((w, n) => w.targets.forEach((i, k) => at[w.of].set(i, r.verdicts[n][k])));
      });
      return {
        verdicts: work.map((w, n) => w.targets.map((i) => at[n].get(i)!)),
        reports: reports.map((i) => {
          const [p, k] = reportAt.get(i)!;
          return results[p].reports[k];
        }),
      };
    },
    close: destroyWhenLoaded(pool),
  };
}

/** True when the compiled worker entry exists (running from dist/, not from the TypeScript sources under a test runner). */
export function judgeWorkerBuilt(filename: URL = JUDGE_WORKER_URL): boolean {
  return existsSync(fileURLToPath(filename));
}

/** Targets with each distinct message text once (`texts`), messages pointing into it. */
export function packTargets(targets: Target[]): Pick<JudgeTask, 'targets' | 'texts'> {
  const texts: string[] = [];
  const at = new Map<string, number>();
  const packed = targets.map((t) => ({
    ...t,
    messages: t.messages.map((m) => {
      let k = at.get(m.value);
      if (k === undefined) at.set(m.value, (k = texts.push(m.value) - 1));
      return { ...m, value: k };
    }),
  }));
  return { targets: packed, texts };
}

function textSize(target: Target): number {
  let n = 0;
  for (const m of target.messages) n += m.value.length;
  return n;
}
