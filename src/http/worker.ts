import type { Hono } from 'hono';
import { configFromEnv, createApp, type HttpEnv } from './app.js';

// The env object is stable for the life of an isolate, so the app (and its config parse) is built once per env.
const apps = new WeakMap<HttpEnv, Hono>();

function appFor(env: HttpEnv): Hono {
  let app = apps.get(env);
  if (app === undefined) {
    app = createApp(configFromEnv(env));
    apps.set(env, app);
  }
  return app;
}

/** Cloudflare Workers entry: the shared Hono app configured from the Worker's env bindings. */
export default {
  fetch(request, env, ctx) {
    return appFor(env).fetch(request, env, ctx);
  },
} satisfies ExportedHandler<HttpEnv>;
