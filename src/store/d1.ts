import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema.js';
import type { Store, StoreStatement } from './types.js';

/** Structural type of a D1 binding (what `drizzle-orm/d1` needs), so this file compiles without Workers types. */
export type D1Like = Parameters<typeof drizzle>[0];

/** The store over a Cloudflare D1 binding (`env.DB`); migrations are applied by wrangler / `applyD1Migrations`. */
export function d1Store(binding: D1Like): Store {
  const db = drizzle(binding, { schema });
  return {
    db,
    async batch(statements: StoreStatement[]) {
      if (statements.length === 0) return;
      await db.batch(statements as [StoreStatement, ...StoreStatement[]]);
    },
    // D1 caps bound parameters per query at 100.
    maxParams: 100,
    dialect: 'sqlite',
    async close() {},
  };
}
