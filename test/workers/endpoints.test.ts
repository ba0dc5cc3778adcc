/** The shared endpoint tests inside workerd, through the Worker entry (src/http/worker.ts). */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import type { HttpEnv } from '../../src/http/config.js';
import worker from '../../src/http/worker.js';
import { defineEndpointCases } from '../http/endpoint-cases.js';

const ORIGIN = 'http://agent-signals.test';
// A request as the runtime hands it to a Worker (with incoming `cf` properties), per the Workers testing docs.
const IncomingRequest = Request<unknown, IncomingRequestCfProperties>;

it('runs inside workerd', () => {
  expect(navigator.userAgent).toBe('Cloudflare-Workers');
});

defineEndpointCases(async (env: HttpEnv) => {
  if (Object.keys(env).length === 0) {
    // Default bindings (wrangler.toml): go through the real fetch handler of the main module.
    return { fetch: (path, init) => exports.default.fetch(new Request(ORIGIN + path, init)), close: async () => {} };
  }
  // Other bindings: call the same entry with a custom env, as the runtime would with other [vars].
  return {
    fetch: async (path, init) => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(new IncomingRequest(ORIGIN + path, init as RequestInit<IncomingRequestCfProperties>), env, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    },
    close: async () => {},
  };
});
