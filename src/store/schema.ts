// The one SQL schema of the signals store (sqlite dialect): libsql on Node, D1 on Workers, the same migrations.
// Times are Unix milliseconds (integers) unless named `*Ns` (OTLP nanoseconds as decimal strings).
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** One row per agent seen in traffic. */
export const agents = sqliteTable('agents', {
  id: text('id').primaryKey(),
  firstSeen: integer('first_seen').notNull(),
  lastSeen: integer('last_seen').notNull(),
});

/**
 * A session (conversation) of an agent, identified within its agent: two agents sending the same session id have
 * two sessions. `revision` counts its stored spans (and what moves took out, `movedOut`) and so grows when the
 * session resumes; `settledRevision` is
 * the revision last labelled (session scope), so a resumed session is labelled again.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    agent: text('agent').notNull(),
    id: text('id').notNull(),
    startMs: integer('start_ms').notNull(),
    endMs: integer('end_ms').notNull(),
    revision: integer('revision').notNull().default(0),
    settledRevision: integer('settled_revision').notNull().default(0),
    /** Ingest clock of the last span that arrived. */
    lastActivity: integer('last_activity').notNull(),
    /** What late-agent moves took out of its revision, plus one a move: see `traces.movedOut`. */
    movedOut: integer('moved_out').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.agent, t.id] }),
    index('sessions_id').on(t.id),
    index('sessions_agent_end').on(t.agent, t.endMs),
    // The traffic explorer over all agents (newest first) and its count of sessions waiting to settle.
    index('sessions_end').on(t.endMs),
    index('sessions_unsettled').on(t.agent, t.lastActivity).where(sql`revision > settled_revision`),
    index('sessions_settle').on(t.lastActivity),
  ],
);

/**
 * A trace (one request/turn) of an agent, identified within its agent (its spans are those of the agent with
 * this trace id). Complete once `rootEnded` and quiet for the settle time.
 */
export const traces = sqliteTable(
  'traces',
  {
    agent: text('agent').notNull(),
    id: text('id').notNull(),
    sessionId: text('session_id'),
    rootName: text('root_name'),
    rootEnded: integer('root_ended', { mode: 'boolean' }).notNull().default(false),
    startMs: integer('start_ms').notNull(),
    endMs: integer('end_ms').notNull(),
    revision: integer('revision').notNull().default(0),
    settledRevision: integer('settled_revision').notNull().default(0),
    lastActivity: integer('last_activity').notNull(),
    /**
     * Added to the count its revision is: what spans moving to their late-named agent took out of it, plus one a
     * move, so the revision never falls back to one it was labelled at (a label is stored once per revision).
     */
    movedOut: integer('moved_out').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.agent, t.id] }),
    index('traces_id').on(t.id),
    index('traces_agent_end').on(t.agent, t.endMs),
    index('traces_end').on(t.endMs),
    index('traces_unsettled').on(t.agent, t.lastActivity).where(sql`revision > settled_revision`),
    index('traces_session').on(t.agent, t.sessionId),
    index('traces_settle').on(t.lastActivity),
  ],
);

/**
 * One captured span, keyed within its agent. Its messages (OpenAI chat shape) live in `messages`, once per
 * conversation: `messageRefs` is the JSON list of their hashes in the span's order, `conversation` names where they
 * are (`s:` + the session id, else `t:` + the trace id, as known when the span was stored). Chat instrumentations
 * send the whole history with every call, so storing it per span would grow a session with the square of its length.
 */
export const spans = sqliteTable(
  'spans',
  {
    traceId: text('trace_id').notNull(),
    spanId: text('span_id').notNull(),
    parentSpanId: text('parent_span_id').notNull(),
    name: text('name').notNull(),
    agent: text('agent').notNull(),
    /**
     * The agent is the resource's service name because no span above it named one yet: an agent span arriving later
     * in the same trace moves it to that agent (src/store/agent-moves.ts).
     */
    agentFallback: integer('agent_fallback', { mode: 'boolean' }).notNull().default(false),
    /**
     * The resource's `service.name` of the OTLP export the span came in (null: a format without resources, or stored
     * before services were kept, when the agent stands for it): only log records of this service join the span.
     */
    service: text('service'),
    sessionId: text('session_id'),
    convention: text('convention').notNull(),
    /** `llm` (one model call), `tool` (one tool run) or `other`. */
    kind: text('kind', { enum: ['llm', 'tool', 'other'] }).notNull().default('other'),
    model: text('model'),
    startNs: text('start_ns').notNull(),
    endNs: text('end_ns').notNull(),
    startMs: integer('start_ms').notNull(),
    endMs: integer('end_ms').notNull(),
    conversation: text('conversation').notNull(),
    /** JSON array of the hashes of the span's messages (`messages.hash`), in order. */
    messageRefs: text('message_refs').notNull(),
    messageCount: integer('message_count').notNull(),
    unreadable: integer('unreadable', { mode: 'boolean' }).notNull(),
    receivedAt: integer('received_at').notNull(),
  },
  // Only the indexes a read uses: each costs every span insert an entry and its page writes at commit. No read
  // looks spans up by session id (a session reaches its spans through its traces) or by receipt time.
  (t) => [
    primaryKey({ columns: [t.agent, t.traceId, t.spanId] }),
    index('spans_span_id').on(t.spanId),
    index('spans_trace').on(t.traceId),
    index('spans_agent_end').on(t.agent, t.endMs),
    index('spans_conversation').on(t.agent, t.conversation),
  ],
);

/**
 * One distinct message of a conversation (a session, or a trace without one) of an agent, stored once however many
 * spans repeat it in their history. `hash` is the hash of `content` (its JSON text; ./message-hash.ts); rows moved
 * from the former per-span layout carry a key of their own (`L` + a number). Deleted once no span refers to it.
 */
export const messages = sqliteTable(
  'messages',
  {
    agent: text('agent').notNull(),
    conversation: text('conversation').notNull(),
    hash: text('hash').notNull(),
    content: text('content').notNull(),
  },
  (t) => [primaryKey({ columns: [t.agent, t.conversation, t.hash] })],
);

/**
 * GenAI events sent as OTLP log records (`POST /v1/logs`), kept by the span they belong to (trace and span id) so
 * the span reads them whether it arrived before or after them. `event` is the record as a span event (name,
 * attributes, body); `rank` and `position` order the records of one instant (./formats/traces/log-records.ts).
 */
export const spanLogs = sqliteTable(
  'span_logs',
  {
    traceId: text('trace_id').notNull(),
    spanId: text('span_id').notNull(),
    /**
     * The record's resource `service.name`: it joins only the span of that service with its ids (another agent's
     * exporter sending the same ids joins nothing). Records stored before services were kept have '' and join nothing.
     */
    service: text('service').notNull().default(''),
    key: text('key').notNull(),
    timeNs: text('time_ns').notNull(),
    rank: integer('rank').notNull(),
    position: integer('position').notNull(),
    event: text('event', { mode: 'json' }).notNull(),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.traceId, t.spanId, t.key] }), index('span_logs_received').on(t.receivedAt)],
);

/** A custom signal; its definition lives in `signal_versions` (`version` is the current one). */
export const signals = sqliteTable(
  'signals',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    agent: text('agent').notNull(),
    scope: text('scope', { enum: ['span', 'trace', 'session'] }).notNull(),
    type: text('type', { enum: ['binary', 'labels'] }).notNull(),
    state: text('state', { enum: ['draft', 'active', 'disabled', 'archived'] }).notNull(),
    version: integer('version').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('signals_name').on(t.name), index('signals_agent_state').on(t.agent, t.state)],
);

/** Every version of every signal's definition. */
export const signalVersions = sqliteTable(
  'signal_versions',
  {
    signalId: text('signal_id').notNull(),
    version: integer('version').notNull(),
    definition: text('definition', { mode: 'json' }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.signalId, t.version] })],
);

/**
 * One label: a verdict of one signal version on one target revision. A target is (kind, agent, id). A machine
 * label (rules, llm, learned) is unique per (signal, version, target, revision), so live labelling, a re-run batch
 * and a re-ingest never duplicate; human labels (judge `human`, with `reviewer`) are all kept, a correction is a new
 * row. `at` is the target's traffic time (windows, distributions and alerts read it); `superseded` marks all but
 * the current label of a target: its newest human label if it has one, else its latest machine label.
 */
export const labels = sqliteTable(
  'labels',
  {
    id: text('id').primaryKey(),
    signalId: text('signal_id').notNull(),
    version: integer('version').notNull(),
    targetKind: text('target_kind', { enum: ['span', 'trace', 'session'] }).notNull(),
    targetId: text('target_id').notNull(),
    revision: text('revision').notNull(),
    agent: text('agent').notNull(),
    status: text('status', { enum: ['labelled', 'undecided', 'error'] }).notNull(),
    value: text('value'),
    explanation: text('explanation').notNull(),
    judge: text('judge', { enum: ['rules', 'llm', 'learned', 'human'] }).notNull(),
    /** Who gave a human label (as the caller named them); null for machine labels. */
    reviewer: text('reviewer'),
    requests: integer('requests').notNull().default(0),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    usd: real('usd').notNull().default(0),
    runId: text('run_id'),
    at: integer('at').notNull(),
    labelledAt: integer('labelled_at').notNull(),
    superseded: integer('superseded', { mode: 'boolean' }).notNull().default(false),
    /**
     * Where the target falls in the signal's review queue: a 28-bit hash of (signal, target), the same for every
     * label of the target, so the queue is a fixed pseudo-random sample of targets that a relabel does not reshuffle.
     */
    reviewKey: integer('review_key').notNull().default(0),
  },
  (t) => [
    // One index serves both a target's labels (kind, agent, id: supersede, reviews, retention) and the machine labels'
    // uniqueness per (signal, version, target, revision): its last part is '' for machine labels and the id for human
    // ones, which are all kept. One index, not two, because target ids are random: each index keyed by them costs a
    // label a write to a random page at commit (a separate uniqueness index was ~half of a label's commit).
    uniqueIndex('labels_target').on(
      t.targetKind,
      t.agent,
      t.targetId,
      t.signalId,
      t.version,
      t.revision,
      sql`(case when judge = 'human' then id else '' end)`,
    ),
    index('labels_signal_at').on(t.signalId, t.at),
    // Covers the label listing, distribution and headline counts (current labels of a signal by time, value):
    // they read the index alone, never the rows.
    index('labels_signal_current').on(t.signalId, t.superseded, t.at, t.value, t.status),
    index('labels_run').on(t.runId),
    // Reviewers' labels of a signal, newest first (few among millions: only they are indexed).
    index('labels_human').on(t.signalId, t.labelledAt).where(sql`judge = 'human'`),
    // The review queue's sample: the current machine labels of the targets whose review key falls in the first 16th
    // (REVIEW_SAMPLE_KEYS in learning.ts), in key order. Only a sample, because an index in random order costs a
    // write to a random page per label: indexing every label took a 300,000-label insert from 7 s to 19 s.
    index('labels_review').on(t.signalId, t.superseded, t.reviewKey, t.id).where(sql`judge <> 'human' and review_key < 16777216`),
  ],
);

/**
 * Rollups of the current (not superseded) labels: how many a signal has per value (`key`: the value, or the status
 * when there is none) per 5-minute slot of traffic time (`slot`: the slot's start, Unix ms), and in all. Kept equal
 * to the labels by triggers on `labels` (insert, delete, a change of `superseded`, `at`, `value` or `status`), written
 * in the migration that made these tables: every writer (live labelling, backfills, reviews, undo, retention, any
 * replica) updates them in its own transaction, so distributions and headline counts read a few thousand rollup rows
 * instead of a million labels. Counts that fell to 0 stay until their labels are deleted (reads skip them).
 */
export const labelCounts = sqliteTable(
  'label_counts',
  {
    signalId: text('signal_id').notNull(),
    slot: integer('slot').notNull(),
    key: text('key').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.signalId, t.slot, t.key] })],
);

/** Current labels of a signal per value, all time (see {@link labelCounts}). */
export const labelTotals = sqliteTable(
  'label_totals',
  {
    signalId: text('signal_id').notNull(),
    key: text('key').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.signalId, t.key] })],
);

/**
 * Labelled verdicts (status `labelled`, superseded or not) per signal version and judge, with what they cost: the
 * judges report's counts, LLM share and cost per target. Kept by triggers on `labels` like {@link labelCounts}.
 */
export const labelJudges = sqliteTable(
  'label_judges',
  {
    signalId: text('signal_id').notNull(),
    version: integer('version').notNull(),
    judge: text('judge').notNull(),
    n: integer('n').notNull(),
    usd: real('usd').notNull(),
  },
  (t) => [primaryKey({ columns: [t.signalId, t.version, t.judge] })],
);

/**
 * A backfill or manual run; `cursor` is the last target processed (JSON `[at, agent, id]`), persisted per batch so
 * a restart resumes.
 */
export const runs = sqliteTable(
  'runs',
  {
    id: text('id').primaryKey(),
    signalId: text('signal_id').notNull(),
    version: integer('version').notNull(),
    kind: text('kind', { enum: ['backfill', 'manual'] }).notNull(),
    since: integer('since').notNull(),
    until: integer('until').notNull(),
    rate: real('rate').notNull(),
    status: text('status', { enum: ['queued', 'running', 'paused', 'done', 'failed', 'cancelled'] }).notNull(),
    total: integer('total').notNull().default(0),
    done: integer('done').notNull().default(0),
    counts: text('counts', { mode: 'json' }).notNull(),
    /** Targets of the window with no readable message: counted, never labelled. */
    unreadable: integer('unreadable').notNull().default(0),
    requests: integer('requests').notNull().default(0),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    usd: real('usd').notNull().default(0),
    error: text('error'),
    cursor: text('cursor'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    finishedAt: integer('finished_at'),
    /** The replica advancing the run, until `leaseUntil`; once that passed (its replica died) another takes it. */
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until').notNull().default(0),
    /**
     * New at every claim: the holder renews and writes only while the run still carries its token, so a replica that
     * stalled past its lease (and whose run another took) can neither renew, pay for, nor commit anything more.
     */
    leaseToken: text('lease_token'),
    /**
     * When a run a day cap paused goes on by itself: the end of the cap's UTC day (the day the spend ledger booked).
     * Null for any other pause (a run cap waits for a new run).
     */
    resumeAt: integer('resume_at'),
  },
  (t) => [index('runs_signal').on(t.signalId, t.createdAt), index('runs_status').on(t.status)],
);

/**
 * Background LLM judging of live targets. The id is the label key, so enqueueing twice is a no-op; a job whose
 * lease ran out (its worker died) is taken again.
 */
export const llmJobs = sqliteTable(
  'llm_jobs',
  {
    id: text('id').primaryKey(),
    signalId: text('signal_id').notNull(),
    version: integer('version').notNull(),
    targetKind: text('target_kind', { enum: ['span', 'trace', 'session'] }).notNull(),
    /** The target's agent (targets are identified within their agent). */
    agent: text('agent').notNull().default(''),
    targetId: text('target_id').notNull(),
    revision: text('revision').notNull(),
    status: text('status', { enum: ['pending', 'running', 'done', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    leaseUntil: integer('lease_until').notNull().default(0),
    /** The replica running it (`SIGNALS_REPLICA_ID`) while `status` is `running`. */
    leaseOwner: text('lease_owner'),
    /** New at every claim; renewing and closing the job need it (see `runs.leaseToken`). */
    leaseToken: text('lease_token'),
    error: text('error'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('llm_jobs_status').on(t.status, t.leaseUntil)],
);

/** An alert rule on a signal (rule JSON owned by src/alerts). */
export const alerts = sqliteTable(
  'alerts',
  {
    id: text('id').primaryKey(),
    signalId: text('signal_id').notNull(),
    name: text('name').notNull(),
    rule: text('rule', { mode: 'json' }).notNull(),
    paused: integer('paused', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('alerts_signal').on(t.signalId)],
);

/** The evaluation state of an alert (state JSON owned by src/alerts). */
export const alertStates = sqliteTable('alert_states', {
  alertId: text('alert_id').primaryKey(),
  state: text('state').notNull(),
  data: text('data', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at').notNull(),
  /** A fresh id per write: a save names the token it read (compare-and-set), so of two replicas one wins. */
  token: text('token'),
});

/** Every state change of an alert with the value that caused it. */
export const alertTransitions = sqliteTable(
  'alert_transitions',
  {
    id: text('id').primaryKey(),
    alertId: text('alert_id').notNull(),
    at: integer('at').notNull(),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    value: real('value'),
    data: text('data', { mode: 'json' }),
  },
  // One transition per alert and evaluation time (a step makes at most one): what makes a transition, and so its
  // notification, happen once whatever the number of replicas evaluating.
  (t) => [uniqueIndex('alert_transitions_alert_at').on(t.alertId, t.at)],
);

/**
 * The outbox of alert notifications: one row per notification and channel, stored with the alert's state and
 * transition, then sent and retried from here by the deliveries lane (claimed with a lease, so of several replicas
 * one sends it). `pending` until sent or out of attempts; `lastError` is a fixed reason, never a response body.
 */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: text('id').primaryKey(),
    alertId: text('alert_id').notNull(),
    /** The channel's name (`name`, else `type[index]`). */
    channel: text('channel').notNull(),
    /** The notification's time (the evaluation that made it). */
    at: integer('at').notNull(),
    attempts: integer('attempts').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull(),
    /** The HTTP status of the last attempt, when there was an answer. */
    httpStatus: integer('http_status'),
    lastError: text('last_error'),
    /** `{type, kind, notification, channel}`: what to send where, so a retry needs nothing else. */
    payload: text('payload', { mode: 'json' }),
    /** When a pending delivery is due (null once sent or failed). */
    nextAttemptAt: integer('next_attempt_at'),
    lastAttemptAt: integer('last_attempt_at'),
    /** The replica sending it (`SIGNALS_REPLICA_ID`) until `leaseUntil`; after that another may take it. */
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until').notNull().default(0),
  },
  (t) => [index('deliveries_alert_at').on(t.alertId, t.at), index('deliveries_due').on(t.status, t.nextAttemptAt)],
);

/**
 * The built-in analysis of a trace or session as of its last settle (`revision` = the spans it covered), so the
 * traffic explorer lists and filters by quality without re-reading messages. Written by the settle step.
 */
export const summaries = sqliteTable(
  'summaries',
  {
    kind: text('kind', { enum: ['trace', 'session'] }).notNull(),
    agent: text('agent').notNull(),
    id: text('id').notNull(),
    revision: integer('revision').notNull(),
    /** User turns of the assembled conversation (the report's `turn_metrics.total_turns`). */
    turns: integer('turns').notNull(),
    /** Tool calls the model made in the conversation (its `function_call` rows). */
    toolCalls: integer('tool_calls').notNull(),
    messages: integer('messages').notNull(),
    quality: text('quality').notNull(),
    score: integer('score').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.agent, t.id] })],
);

/** One row per built-in signal type present in a summarized trace or session, for the `builtin` glob filter. */
export const summarySignals = sqliteTable(
  'summary_signals',
  {
    kind: text('kind', { enum: ['trace', 'session'] }).notNull(),
    agent: text('agent').notNull(),
    id: text('id').notNull(),
    type: text('type').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.agent, t.id, t.type] })],
);

/**
 * Leases on shared work that has no row of its own to claim (a pass of the settle, alerts or retention lane):
 * held by one replica (`SIGNALS_REPLICA_ID`) until `until`; another takes it once released or run out.
 */
export const leases = sqliteTable('leases', {
  name: text('name').primaryKey(),
  owner: text('owner').notNull(),
  until: integer('until').notNull(),
});

/**
 * LLM spend booked against a cap, per account and UTC day (`YYYY-MM-DD`; '' for a backfill run's whole life):
 * `signal:ID` (its `max_requests_per_day`, `max_usd_per_day`), `provider:NAME` (the operator's `max_usd_per_day`
 * across every signal) and `run:ID` (the run caps). A request books its estimate before it is sent, with a
 * conditional update that refuses to pass a cap, so replicas sharing the store cannot overshoot together; the
 * answer's real usage replaces the estimate.
 */
export const llmUsage = sqliteTable(
  'llm_usage',
  {
    account: text('account').notNull(),
    day: text('day').notNull(),
    requests: integer('requests').notNull().default(0),
    tokens: integer('tokens').notNull().default(0),
    usd: real('usd').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.account, t.day] })],
);
