import type { MiddlewareHandler } from 'hono';
import { IngestMetrics, type Receiver } from './ingest-metrics.js';
import { IngestQueue } from './ingest-queue.js';

/** What the OTLP receivers of one app share: the bound on the exports it holds, and their counters. */
export interface Intake {
  queue: IngestQueue;
  metrics: IngestMetrics;
}

/** An intake whose queue holds at most `maxBytes` of export bodies. */
export function createIntake(maxBytes: number): Intake {
  const queue = new IngestQueue(maxBytes);
  return { queue, metrics: new IngestMetrics(queue) };
}

/** Counts every answer of a receiver by its status, errors included (they are answered by then). */
export function countAnswers(intake: Intake, receiver: Receiver): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.req.method === 'POST') intake.metrics.answered(receiver, c.res.status);
  };
}
