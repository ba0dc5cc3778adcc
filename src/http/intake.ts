import type { Context, MiddlewareHandler } from 'hono';
import { scopeOf } from './agent-keys.js';
import { IngestMetrics, type Receiver } from './ingest-metrics.js';
import { IngestQueue, type HeldBody } from './ingest-queue.js';

/** What the routes of one app share: the bound on the request bodies it holds, and the OTLP receivers' counters. */
export interface Intake {
  queue: IngestQueue;
  metrics: IngestMetrics;
}

/** An intake whose queue holds at most `maxBytes` of request bodies, and `tenantShare` of them for one caller. */
export function createIntake(maxBytes: number, tenantShare: number): Intake {
  const queue = new IngestQueue(maxBytes, tenantShare);
  return { queue, metrics: new IngestMetrics(queue) };
}

/** Counts every answer of a receiver by its status, errors included (they are answered by then). */
export function countAnswers(intake: Intake, receiver: Receiver): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.req.method === 'POST') intake.metrics.answered(receiver, c.res.status);
  };
}

const HELD = 'signalsHeldBody';

/** The queue's hold on this request's body ({@link holdBodies}); undefined for a request without one. */
export function heldBodyOf(c: Context): HeldBody | undefined {
  return (c as unknown as { get(key: string): HeldBody | undefined }).get(HELD);
}

/**
 * Holds each request body in the intake's queue from its first byte to the answer, before anything reads it (the
 * body-limit middleware reads a body without a length whole): its declared `Content-Length` at once, then the bytes as
 * they are read, which `readBodyBytes` raises to what they inflate to. A body that passes the bound is answered 503 +
 * Retry-After then, mid-upload, not after it has been read whole. Each body counts against its caller's share too: the
 * agent of the key the auth check matched (before this runs), the operator's token one caller of its own.
 */
export function holdBodies(intake: Intake): MiddlewareHandler {
  return async (c, next) => {
    const body = c.req.raw.body;
    if (body === null) return next();
    const held = intake.queue.receive(scopeOf(c)?.agent);
    try {
      const length = c.req.header('transfer-encoding') === undefined ? Number(c.req.header('content-length')) : NaN;
      if (Number.isSafeInteger(length) && length > 0) held.hold(length);
      let read = 0;
      const counted = body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            read += chunk.byteLength;
            // Throws the 503 past the bound: the stream fails with it, and so does whatever reads the body.
            held.hold(read);
            controller.enqueue(chunk);
          },
        }),
      );
      c.req.raw = new Request(c.req.raw, { body: counted, duplex: 'half' } as RequestInit);
      (c as unknown as { set(key: string, value: HeldBody): void }).set(HELD, held);
      await next();
    } finally {
      held.release();
    }
  };
}
