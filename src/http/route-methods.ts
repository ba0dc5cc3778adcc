import type { Hono } from 'hono';

/** A route path (`/v1/signals/:id`, `/v1/*`) as a regex over request paths. */
function pathPattern(path: string): RegExp {
  const body = path
    .split('/')
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${body}$`);
}

/**
 * The methods the app's routes answer on `path` (HEAD with GET, as Hono serves it), or undefined when no route
 * matches: what `405 Allow` and `OPTIONS` report. Middleware (`app.use`, method ALL) does not count as a route.
 */
export function routeMethods(app: Hono): (path: string) => string[] | undefined {
  let table: { pattern: RegExp; method: string }[] | undefined;
  return (path) => {
    // Built on first use, when every route is registered.
    table ??= app.routes.filter((r) => r.method !== 'ALL' && r.path !== '/*').map((r) => ({ pattern: pathPattern(r.path), method: r.method }));
    const methods = new Set(table.filter((r) => r.pattern.test(path)).map((r) => r.method));
    if (methods.size === 0) return undefined;
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods];
  };
}
