import { defineConfig } from 'drizzle-kit';

/** `npx drizzle-kit generate --config drizzle.pg.config.ts` writes the PostgreSQL migrations (applied at start by src/store/postgres.ts). */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/schema-pg.ts',
  out: './migrations-pg',
});
