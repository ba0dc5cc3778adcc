import type { Hono } from 'hono';
import type { SignalsService } from '../service/service.js';
import { consumeWork, cronTick, workerService, type SignalsWorkerEnv, type WorkMessage } from '../service/workers.js';
import { configFromEnv, createApp, type HttpEnv } from './app.js';

/** The Worker's bindings: the HTTP settings, plus D1 (`DB`) and the work queue for the signals service. */
type WorkerEnv = HttpEnv & SignalsWorkerEnv;

interface Built {
  app: Hono;
  signals: SignalsService | undefined;
}

// The env object is stable for the life of an isolate, so the app (and its config parse) is built once per env.
const built = new WeakMap<object, Built>();

function buildFor(env: WorkerEnv): Built {
  let b = built.get(env);
  if (b === undefined) {
    const signals = workerService(env);
    b = { app: createApp({ ...configFromEnv(env), signals }), signals };
    built.set(env, b);
  }
  return b;
}

/**
 * Cloudflare Workers entry: the shared Hono app configured from the Worker's env bindings; with a D1 binding,
 * also the signals service's queue consumer (background LLM judging, backfill batches) and Cron tick.
 */
export default {
  fetch(request, env, ctx) {
    return buildFor(env).app.fetch(request, env, ctx);
  },
  async queue(batch, env) {
    const { signals } = buildFor(env);
    if (signals === undefined) {
      batch.ackAll();
      return;
    }
    await consumeWork(signals, env, batch.messages as readonly WorkMessage[]);
  },
  async scheduled(controller, env, ctx) {
    const { signals } = buildFor(env);
    if (signals !== undefined) ctx.waitUntil(cronTick(signals, env, controller.scheduledTime));
  },
} satisfies ExportedHandler<WorkerEnv>;
