import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

/**
 * Tests that open their stores through test/helpers/test-store.ts: run on libsql (node), PostgreSQL (postgres) and
 * D1 inside workerd (d1, where that import resolves to test/workers/d1-test-store.ts). A file listed here imports no
 * node:fs or node:os (importing node:os crashes workerd): its folders come from newStoreDir/removeStoreDir, a webhook
 * receiver from test/helpers/webhook-receiver.ts.
 */
const STORE_SUITE = [
  'test/store/store.test.ts',
  'test/store/message-store.test.ts',
  'test/service/service.test.ts',
  'test/service/backfill.test.ts',
  'test/service/alerts.test.ts',
  'test/service/http.test.ts',
  'test/service/write-bounds.test.ts',
  'test/service/target-pages.test.ts',
  'test/service/run-pages.test.ts',
  'test/replicas/claims.test.ts',
  'test/service/review.test.ts',
  'test/store/rollups.test.ts',
  'test/store/review-queue.test.ts',
  'test/store/agent-moves.test.ts',
  'test/store/usage.test.ts',
  'test/service/idle-writes.test.ts',
];

export default defineConfig({
  test: {
    // Two test files at a time in every project that does not say otherwise. Vitest's default, one worker less than
    // the cores, is a single worker on the project's 2-core machine, which left a core idle while a file waited on its
    // child processes, servers and browser. Tests wait on events, not time: two files sharing the machine only take
    // longer.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          // test/corpus needs the third-party corpus beside the project: `npm run test:corpus` runs it;
          // test/instrumentations needs its own install: `npm run test:instrumentations` runs it.
          // test/**/*.pg.test.ts need PostgreSQL: the postgres project runs them.
          // test/docs-examples.test.ts runs `npm ci` in the repository: the docs project runs it alone.
          exclude: ['test/workers/**', 'test/corpus/**', 'test/instrumentations/**', 'test/**/*.pg.test.ts', 'test/docs-examples.test.ts', 'node_modules/**'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Parity and corpus figures against SIGNALS_CORPUS_DIR (default ../shared), read through test/helpers/corpus.ts.
        test: {
          name: 'corpus',
          include: ['test/corpus/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The README's and docs/ runnable shell examples, after every other file of `npm test` (a later group of its
        // own, one worker): their first block runs `npm ci` in the repository, which replaces the node_modules every
        // other test file loads from.
        test: {
          name: 'docs',
          include: ['test/docs-examples.test.ts'],
          environment: 'node',
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Real instrumentation packages (installed in test/instrumentations/) exporting to the service.
        test: {
          name: 'instrumentations',
          include: ['test/instrumentations/**/*.test.ts'],
          exclude: ['test/instrumentations/node_modules/**'],
          environment: 'node',
          // A test waits for its runner, queued behind others: the whole run is bounded, not each test.
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The shared store suite on PostgreSQL (`npm run test:postgres`): the same files as in the node project, each
        // store a fresh database on a throwaway cluster (test/postgres-setup.ts; SIGNALS_TEST_PG_URL names one to use),
        // the tests only PostgreSQL runs (test/**/*.pg.test.ts: replicas of `signals serve` on one database), and the
        // LLM spending-cap and lease takeover tests (a fake provider on 127.0.0.1: Node only, so not in the d1 project).
        test: {
          name: 'postgres',
          include: [...STORE_SUITE, 'test/**/*.pg.test.ts', 'test/http/tenancy-logs.test.ts', 'test/http/agent-keys.test.ts', 'test/service/llm-caps-backfill.test.ts', 'test/service/llm-caps-holds.test.ts', 'test/replicas/lease-takeover.test.ts', 'test/service/llm-caps-current.test.ts'],
          environment: 'node',
          env: { SIGNALS_TEST_STORE: 'postgres' },
          globalSetup: ['./test/postgres-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The shared store suite on D1 inside workerd (Miniflare): the same files as in the node project, their store a
        // D1 binding with the committed migrations; test/workers/d1-*.ts stand in for the Node-only test/helpers of
        // the same name (the store, the webhook receiver).
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { bindings: { TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url))) } },
          })),
        ],
        resolve: {
          alias: [{ find: /^\.\.\/helpers\/(test-store|webhook-receiver)\.js$/, replacement: fileURLToPath(new URL('./test/workers/d1-$1.ts', import.meta.url)) }],
        },
        test: {
          name: 'd1',
          include: STORE_SUITE,
          // One workerd per vitest worker for all the files it runs (a start per file cost ~4 s of a CI run each): they
          // share its D1 database (each workerd has its own, in memory), which the test store empties whenever a test
          // opens a new store (test/workers/d1-test-store.ts).
          isolate: false,
          setupFiles: ['./test/workers/apply-migrations.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The HTTP service inside workerd (Miniflare), through src/http/worker.ts.
        // D1 gets the committed migrations (TEST_MIGRATIONS, applied by test/workers/apply-migrations.ts).
        plugins: [
          cloudflareTest(async () => ({
            main: './src/http/worker.ts',
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { bindings: { TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url))) } },
          })),
        ],
        test: {
          name: 'workers',
          include: ['test/workers/**/*.test.ts'],
          setupFiles: ['./test/workers/apply-migrations.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
