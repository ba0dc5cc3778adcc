import { openStore, storeOptionsFromEnv } from '../store/libsql.js';
import type { Store } from '../store/types.js';
import { smtpSenderFromEnv } from './alerts-smtp.js';
import type { ServiceOptions } from './context.js';
import { serviceOptionsFromEnv } from './env.js';
import { nodeProviders } from './node-providers.js';
import { legacyProblems } from './legacy-signals.js';
import { createSignalsService, type SignalsService } from './service.js';

/** The signals service running in this Node process: store, service and its background worker. */
export interface NodeService {
  service: SignalsService;
  store: Store;
  /** Waits for the current background pass, stops the timer and closes the store. */
  stop(): Promise<void>;
}

/**
 * Opens the store (`SIGNALS_DB`, default `.signals/signals.db`) and runs the service's background work in process:
 * a `tick` every `intervalMs` (settling traces and sessions, LLM jobs, backfill batches, due alerts, retention) and at once
 * when work is queued. All work state lives in the store, so a restart resumes where the last process stopped.
 */
export async function startNodeService(
  env: Record<string, string | undefined> = process.env,
  options: Partial<ServiceOptions> & { intervalMs?: number; onError?: (err: unknown) => void } = {},
): Promise<NodeService> {
  // Settings first: a bad provider or config file stops the start before the store is opened.
  const providers = options.providers ?? nodeProviders(env);
  const store = await openStore(storeOptionsFromEnv(env));
  let running: Promise<unknown> | null = null;
  let again = false;
  const onError = options.onError ?? ((err: unknown) => console.error('signals background work:', err instanceof Error ? err.message : err));
  // One pass at a time; a request for work during a pass runs one more pass after it.
  const pass = (): void => {
    if (running !== null) {
      again = true;
      return;
    }
    running = service
      .tick()
      .catch(onError)
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          pass();
        }
      });
  };
  const fromEnv = serviceOptionsFromEnv(env);
  // Email alert channels need an SMTP server (SIGNALS_SMTP_URL); Slack and webhooks only need fetch.
  const alerts = { ...fromEnv.alerts, sendEmail: smtpSenderFromEnv(env), ...options.alerts };
  const service = createSignalsService(store, { ...fromEnv, ...options, providers, alerts, notify: () => pass() });
  const legacy = await legacyProblems(service.api, providers);
  if (legacy.length > 0) {
    await store.close();
    throw new Error(`stored signals name LLM settings no operator provider has:\n${legacy.join('\n')}`);
  }
  const timer = setInterval(pass, options.intervalMs ?? 1000);
  timer.unref();
  pass();
  return {
    service,
    store,
    async stop() {
      clearInterval(timer);
      again = false;
      while (running !== null) await running;
      await store.close();
    },
  };
}
