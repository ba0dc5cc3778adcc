import { and, type Column, eq, lt, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';

// SQL fragments written once for both dialects: SQLite's two-argument min()/max() are PostgreSQL's least()/greatest().

/** The larger of two non-null values. */
export function larger(a: SQLWrapper, b: SQLWrapper | SQL): SQL {
  return sql`(case when ${a} >= ${b} then ${a} else ${b} end)`;
}

/** The smaller of two non-null values. */
export function smaller(a: SQLWrapper, b: SQLWrapper | SQL): SQL {
  return sql`(case when ${a} <= ${b} then ${a} else ${b} end)`;
}

/**
 * Rows strictly before a keyset cursor of a list read newest first by (`at`, `id`): an earlier time, or the same time
 * and a smaller id, so rows written meanwhile never shift a page.
 */
export function olderThan(at: Column, id: Column, before: { at: number; id: string }): SQL {
  return or(lt(at, before.at), and(eq(at, before.at), lt(id, before.id)))!;
}
