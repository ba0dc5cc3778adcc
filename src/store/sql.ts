import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';

// SQL fragments written once for both dialects: SQLite's two-argument min()/max() are PostgreSQL's least()/greatest().

/** The larger of two non-null values. */
export function larger(a: SQLWrapper, b: SQLWrapper | SQL): SQL {
  return sql`(case when ${a} >= ${b} then ${a} else ${b} end)`;
}

/** The smaller of two non-null values. */
export function smaller(a: SQLWrapper, b: SQLWrapper | SQL): SQL {
  return sql`(case when ${a} <= ${b} then ${a} else ${b} end)`;
}
