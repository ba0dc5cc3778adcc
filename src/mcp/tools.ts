import { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { TEMPLATES } from '../custom/templates/index.js';
import { type DistributionBucket, type LabelRow, ServiceError, type SignalsApi, type SignalSummary } from '../service/api.js';
import { storeFault } from '../store/faults.js';
import type { BacktestView } from '../service/alerts-backtest.js';
import { type Action, type Caller, callerOf } from '../service/caller.js';
import { visibleJson } from '../formats/agent-name.js';

/**
 * The action each tool needs (src/service/caller.ts): a caller gets only the tools its actions allow (a key scoped
 * to one agent: reads and reviews), so tools/list shows what it may call and any other tool is unknown to it. A tool
 * missing here stops the server's start (every tool says what it needs).
 */
const TOOL_NEEDS: Readonly<Record<string, Action>> = {
  list_signals: 'read',
  get_signal: 'read',
  list_templates: 'read',
  list_versions: 'read',
  get_run: 'read',
  list_runs: 'read',
  query_labels: 'read',
  list_traffic: 'read',
  label_distribution: 'read',
  get_target: 'read',
  judge_agreement: 'read',
  review_label: 'review',
  create_signal: 'change_signals',
  edit_signal: 'change_signals',
  restore_signal: 'change_signals',
  activate_signal: 'change_signals',
  disable_signal: 'change_signals',
  archive_signal: 'change_signals',
  test_signal: 'test_signals',
  start_backfill: 'backfill',
  list_providers: 'providers',
  list_alerts: 'alerts',
  create_alert: 'alerts',
  edit_alert: 'alerts',
  alert_history: 'alerts',
  pause_alert: 'alerts',
  backtest_alert: 'alerts',
};

/** Longest message text a target read returns (a model's context is the budget, not the store). */
const MESSAGE_CHARS = 600;
/** Most buckets a distribution returns; more are merged into coarser ones. */
const MAX_BUCKETS = 48;

const signalRef = z.string().min(1).describe('The signal: its name (e.g. "frustration") or id ("sig_…")');
const time = (what: string) => z.string().min(1).describe(`${what}: ISO 8601 time, or a duration ago such as "24h" or "7d"`);
const definition = z
  .record(z.string(), z.unknown())
  .describe(
    'A signal definition as in signals.config.yaml: name, agent ("*" for all), scope (span|trace|session), type (binary|labels), labels ([{name, description}] for type labels), prompt, judge (rules|llm|rules-then-llm), rules ({when: [{label, if: {pattern|phrases|expr}}], default}), sample_rate (0-1]',
  );

const alertRef = z.string().min(1).describe('The alert: its name or id ("alt_…")');
// Loose objects: every field a client sends reaches the service's rule check, which names what it refuses (an
// email `from`, a variable) instead of the tool dropping it unseen.
const channels = z
  .array(
    z.union([
      z.looseObject({ type: z.literal('slack'), url: z.string().describe('Slack incoming webhook URL'), name: z.string().optional() }),
      z.looseObject({ type: z.literal('webhook'), url: z.string().describe('Receives a JSON POST'), name: z.string().optional() }),
      z.looseObject({
        type: z.literal('email'),
        to: z.array(z.string()).min(1).describe('Recipients (within SIGNALS_SMTP_TO when the operator sets it; the SMTP server and sender are the operator\'s)'),
        name: z.string().optional(),
      }),
    ]),
  )
  .describe('Where notifications go: Slack incoming webhooks, webhooks, email');

/** The entries that are set (a tool's optional arguments arrive as undefined). */
function defined<T extends Record<string, unknown>>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Top-level definition fields that differ between two versions. */
function changedFields(a: object, b: object): string[] {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => JSON.stringify(x[k]) !== JSON.stringify(y[k])).sort();
}

/**
 * A tool result: the value as JSON text (invisible characters escaped, so look-alike agent names read apart), plus the
 * same value as structured content.
 */
function result(value: unknown) {
  const structured = Array.isArray(value) ? { items: value } : (value as Record<string, unknown>);
  return { content: [{ type: 'text' as const, text: visibleJson(value) }], structuredContent: structured };
}

function brief(s: SignalSummary) {
  return { id: s.id, name: s.name, state: s.state, version: s.version, agent: s.agent, scope: s.scope, type: s.type, labelled: s.labelled, last24h: s.last24h };
}

function label(l: LabelRow) {
  return {
    target: `${l.targetKind}/${l.targetId}`,
    agent: l.agent,
    value: l.value ?? l.status,
    version: l.version,
    judge: l.judge,
    ...(l.reviewer === null ? {} : { reviewer: l.reviewer, labelled_at: l.labelledAt }),
    explanation: l.explanation,
    at: l.at,
    run: l.runId,
  };
}

/** Totals per value and at most `MAX_BUCKETS` non-empty buckets (neighbours merged), so a month of hourly data stays small. */
export function summarizeDistribution(buckets: DistributionBucket[]) {
  const totals: Record<string, number> = {};
  for (const b of buckets) for (const [k, n] of Object.entries(b.counts)) totals[k] = (totals[k] ?? 0) + n;
  const per = Math.max(1, Math.ceil(buckets.length / MAX_BUCKETS));
  const merged: DistributionBucket[] = [];
  for (let i = 0; i < buckets.length; i += per) {
    const counts: Record<string, number> = {};
    for (const b of buckets.slice(i, i + per)) for (const [k, n] of Object.entries(b.counts)) counts[k] = (counts[k] ?? 0) + n;
    if (Object.keys(counts).length > 0) merged.push({ start: buckets[i].start, counts });
  }
  return { totals, bucketsMerged: per, buckets: merged };
}

/**
 * What a failed tool call says: the service's own messages (`ServiceError`) as they are; a store shortage as its
 * fixed cause (like the API's 503); anything else, a driver error quoting SQL and its parameters (other tenants'
 * data) among them, as a fixed line (the detail goes to the server's log, never to the caller).
 */
export function toolFailure(err: unknown): Error {
  const fault = storeFault(err);
  if (fault !== undefined) return new Error(`Service temporarily unavailable: ${fault.cause}; retry after ${fault.retryAfterSeconds} s`);
  if (err instanceof ServiceError) return err;
  // Anything else is unexpected (a bug's TypeError, a SyntaxError quoting what it failed to parse), as the API's 500.
  console.error(err);
  return new Error('Internal error (logged by the service)');
}

/**
 * Registers the signals tools on an MCP server, all over one `SignalsApi` (local store or a remote service),
 * so stdio (`signals mcp`) and Streamable HTTP (`/mcp`) serve the same definitions; only the tools `caller` may
 * call (default: the operator, every tool). Failures throw: the SDK answers a tool error carrying the message the
 * CLI prints.
 */
export function registerSignalsTools(server: McpServer, api: SignalsApi, caller: Caller = callerOf(undefined)): void {
  // Every tool's failures pass through toolFailure; the SDK's generic signature is kept for callers of `register`.
  const register = ((name: string, config: unknown, handler: (...args: never[]) => unknown) => {
    const needs = TOOL_NEEDS[name];
    if (needs === undefined) throw new Error(`MCP tool ${name} has no entry in TOOL_NEEDS (which action it needs)`);
    if (!caller.can[needs]) return undefined;
    return (server.registerTool as (...a: unknown[]) => unknown)(name, config, async (...args: never[]) => {
      try {
        return await handler(...args);
      } catch (err) {
        throw toolFailure(err);
      }
    });
  }) as McpServer['registerTool'];
  const ro = { readOnlyHint: true } as const;

  register(
    'list_signals',
    {
      description: 'List the custom signals with state (draft, active, disabled, archived), version, scope, type, labelled targets and labels of the last 24 h.',
      inputSchema: z.object({
        agent: z.string().optional().describe('Only signals of this agent'),
        include_archived: z.boolean().optional().describe('Include archived signals (default false)'),
      }),
      annotations: ro,
    },
    async ({ agent, include_archived }) => result((await api.listSignals({ agent, includeArchived: include_archived })).map(brief)),
  );

  register(
    'get_signal',
    { description: 'Get one signal with its current definition.', inputSchema: z.object({ signal: signalRef }), annotations: ro },
    async ({ signal }) => result(await api.getSignal(signal)),
  );

  register(
    'list_templates',
    { description: 'List the ready signal templates (use their id as create_signal template).', inputSchema: z.object({}), annotations: ro },
    async () =>
      result(
        TEMPLATES.map((t) => ({
          id: t.id,
          title: t.title,
          description: t.definition.description ?? '',
          scope: t.definition.scope,
          type: t.definition.type,
          labels: t.definition.type === 'binary' ? ['yes', 'no'] : (t.definition.labels ?? []).map((l) => l.name),
        })),
      ),
  );

  register(
    'create_signal',
    {
      description:
        'Create a signal (version 1). A name and a prompt are enough: the operator\'s LLM judges each target (yes/no unless labels are given; per session unless scope says otherwise). Or start from a template id (the plain fields override it), or give a full definition. It starts as a draft unless activate is true. Test it first with test_signal.',
      inputSchema: z.object({
        name: z.string().optional().describe('The signal name: lowercase letters, digits, "-", "_", "." (e.g. "refund-request")'),
        prompt: z.string().optional().describe('What the judge decides, in plain language (e.g. "Does the user ask for a refund?")'),
        labels: z
          .array(z.union([z.string(), z.object({ name: z.string(), description: z.string().optional() })]))
          .optional()
          .describe('2 to 10 labels (names, or {name, description}); leave out for a yes/no signal'),
        scope: z.enum(['span', 'trace', 'session']).optional().describe('What one label is about: one LLM call (span), one request (trace) or a whole conversation (session, the default)'),
        agent: z.string().optional().describe('Only this agent\'s traffic (default "*": every agent)'),
        provider: z.string().optional().describe('One of the operator\'s LLM providers (list_providers); default "default"'),
        model: z.string().optional().describe('A model other than the provider\'s'),
        sample_rate: z.number().gt(0).lte(1).optional().describe('Share of the traffic labelled, (0, 1]; default 1'),
        template: z.string().optional().describe('A template id from list_templates, e.g. "task-outcome"'),
        definition: definition.optional(),
        overrides: z.record(z.string(), z.unknown()).optional().describe('Fields replacing the template\'s, e.g. {"agent": "support-bot", "name": "outcome"}'),
        activate: z.boolean().optional().describe('Start labelling new traffic at once (default false: draft)'),
      }),
    },
    async ({ definition: def, overrides, activate, ...plain }) =>
      result(await api.createSignal({ ...defined(plain), definition: def as never, overrides: overrides as never, state: activate ? 'active' : 'draft' })),
  );

  register(
    'list_providers',
    { description: 'List the operator\'s LLM providers a signal may name (name, model, base URL); never a key.', inputSchema: z.object({}), annotations: ro },
    async () => result(await api.providers()),
  );

  register(
    'list_versions',
    {
      description: 'List the versions of a signal, newest first, each with its definition and what it changed from the one before.',
      inputSchema: z.object({ signal: signalRef }),
      annotations: ro,
    },
    async ({ signal }) => {
      const versions = await api.versions(signal);
      return result(
        versions.map((v, i) => ({
          version: v.version,
          created_at: v.createdAt,
          changed: i + 1 < versions.length ? changedFields(versions[i + 1].definition, v.definition) : ['created'],
          definition: v.definition,
        })),
      );
    },
  );

  register(
    'restore_signal',
    { description: 'Bring an archived signal back, disabled (activate_signal starts it again); its labels were kept.', inputSchema: z.object({ signal: signalRef }) },
    async ({ signal }) => result(brief(await api.setState(signal, 'disabled'))),
  );

  register(
    'edit_signal',
    {
      description: 'Change a signal: saves a new version with the changed fields and returns what changed. The scope cannot change.',
      inputSchema: z.object({ signal: signalRef, changes: z.record(z.string(), z.unknown()).describe('Definition fields to change, e.g. {"sample_rate": 0.25} or {"prompt": "..."}') }),
    },
    async ({ signal, changes }) => {
      const r = await api.editSignal(signal, changes as never);
      return result({ signal: brief(r.signal), changes: r.changes });
    },
  );

  for (const [name, state, what] of [
    ['activate_signal', 'active', 'Activate a signal: its current version labels new traffic as it arrives.'],
    ['disable_signal', 'disabled', 'Pause a signal: no new labels, existing labels kept.'],
    ['archive_signal', 'archived', 'Archive a signal: stopped and hidden from lists, labels kept.'],
  ] as const) {
    register(name, { description: what, inputSchema: z.object({ signal: signalRef }) }, async ({ signal }) => result(brief(await api.setState(signal, state))));
  }

  register(
    'test_signal',
    {
      description: 'Preview a signal on a sample of stored traffic now: label distribution and one row per target. Writes nothing. Give one of signal, template, definition.',
      inputSchema: z.object({
        signal: signalRef.optional(),
        template: z.string().optional().describe('A template id instead of a stored signal'),
        definition: definition.optional(),
        sample: z.number().int().min(1).max(100).default(20).describe('How many targets, 1 to 100 (default 20)'),
        since: time('Window start').optional(),
        until: time('Window end').optional(),
      }),
      annotations: ro,
    },
    async ({ signal, template, definition: def, sample, since, until }) => {
      const r = await api.testSignal({ ref: signal, template, definition: def as never, sample, since, until });
      return result({ distribution: r.distribution, rows: r.rows.map((x) => ({ target: `${x.kind}/${x.id}`, label: x.label ?? x.status, judge: x.judge, explanation: x.explanation })) });
    },
  );

  register(
    'start_backfill',
    {
      description: 'Start a backfill run: label the stored traffic of a window with the signal\'s current version. Returns the run; follow it with get_run.',
      inputSchema: z.object({
        signal: signalRef,
        since: time('Window start'),
        until: time('Window end (default now)').optional(),
        rate: z.number().gt(0).lte(1).optional().describe("Share of the window's targets, (0, 1]; default the signal's sample_rate"),
      }),
    },
    async ({ signal, since, until, rate }) => result(await api.startRun(signal, { since, until: until ?? new Date().toISOString(), rate })),
  );

  register(
    'get_run',
    { description: 'Follow a backfill run: status (queued, running, done, failed, cancelled), targets done / total, labels by value, cost.', inputSchema: z.object({ run: z.string().min(1).describe('The run id ("run_…")') }), annotations: ro },
    async ({ run }) => result(await api.getRun(run)),
  );

  register(
    'list_runs',
    {
      description: 'Backfill runs, newest first, one page at a time (pass next_cursor back as cursor): status, targets done / total, labels by value, cost.',
      inputSchema: z.object({
        signal: signalRef.optional().describe("Only this signal's runs (its name or id); default every run"),
        limit: z.number().int().min(1).max(100).default(20).describe('Runs per page, 1 to 100 (default 20)'),
        cursor: z.string().optional().describe('next_cursor of the previous page'),
      }),
      annotations: ro,
    },
    async ({ signal, limit, cursor }) => {
      const page = await api.listRuns(signal, { limit, cursor });
      return result({ runs: page.items, next_cursor: page.nextCursor });
    },
  );

  register(
    'query_labels',
    {
      description: 'Labels of a signal, newest first, one page at a time (pass next_cursor back as cursor).',
      inputSchema: z.object({
        signal: signalRef,
        value: z.string().optional().describe('Only this label value (yes, no, or one of the signal\'s labels)'),
        since: time('Window start').optional(),
        until: time('Window end').optional(),
        limit: z.number().int().min(1).max(100).default(20).describe('Labels per page, 1 to 100 (default 20)'),
        cursor: z.string().optional().describe('next_cursor of the previous page'),
      }),
      annotations: ro,
    },
    async ({ signal, value, since, until, limit, cursor }) => {
      const page = await api.labels(signal, { value, since, until, limit, cursor });
      return result({ labels: page.items.map(label), next_cursor: page.nextCursor });
    },
  );

  register(
    'list_traffic',
    {
      description:
        'Sessions or traces of the captured traffic, newest first, with counts, built-in quality and signal families, and custom labels; ' +
        'filter by agent, time, quality, built-in signal type, a custom signal label or its absence, and text (e.g. the frustrated sessions of agent X since yesterday: signal=frustration, value=yes, agent=X, since=24h).',
      inputSchema: z.object({
        kind: z.enum(['session', 'trace']).default('session').describe('List sessions (default) or traces'),
        agent: z.string().optional().describe('Only this agent\'s'),
        since: time('Ending at or after').optional(),
        until: time('Ending before').optional(),
        quality: z.enum(['excellent', 'good', 'neutral', 'poor', 'severe']).optional().describe('Built-in quality bucket'),
        builtin: z.string().optional().describe('A built-in signal type glob, e.g. "execution.failure.*" or "*.quit"'),
        signal: z.string().optional().describe('Only units with a label of this custom signal (name or id)'),
        value: z.string().optional().describe('With signal: only this label value'),
        unlabelled: z.string().optional().describe('Only units without a label of this custom signal'),
        q: z.string().optional().describe('Text in the messages'),
        limit: z.number().int().min(1).max(100).default(20).describe('Per page, 1 to 100 (default 20)'),
        cursor: z.string().optional().describe('next_cursor of the previous page'),
      }),
      annotations: ro,
    },
    async ({ kind, cursor, ...query }) => {
      const page = kind === 'trace' ? await api.traces({ ...query, cursor }) : await api.sessions({ ...query, cursor });
      return result({ items: page.items, next_cursor: page.nextCursor });
    },
  );

  register(
    'label_distribution',
    {
      description: 'Counts of a signal\'s labels per value: totals and time buckets (default hourly over the last 24 h; at most 48 buckets, neighbours merged).',
      inputSchema: z.object({
        signal: signalRef,
        bucket: z.string().optional().describe('Bucket size such as "1h", "4h", "1d" (default 1h)'),
        since: time('Window start').optional(),
        until: time('Window end').optional(),
      }),
      annotations: ro,
    },
    async ({ signal, bucket, since, until }) => result(summarizeDistribution(await api.distribution(signal, { bucket, since, until }))),
  );

  register(
    'get_target',
    {
      description: 'Read one target (span, trace or session): its conversation (the last max_messages messages, long texts cut), its built-in report summary and all its labels.',
      inputSchema: z.object({
        kind: z.enum(['span', 'trace', 'session']).describe('The target kind'),
        id: z.string().min(1).describe('The span, trace or session id (the target of a label)'),
        agent: z.string().min(1).optional().describe('The agent of the target (a label names it); needed when several agents sent this id'),
        max_messages: z.number().int().min(1).max(200).default(40).describe('Most recent messages returned (default 40)'),
      }),
      annotations: ro,
    },
    async ({ kind, id, agent, max_messages }) => {
      const t = await api.target(kind, id, agent, { limit: max_messages });
      const messages = t.messages.map((m) => ({ from: m.from, text: m.value.length > MESSAGE_CHARS ? `${m.value.slice(0, MESSAGE_CHARS)}…` : m.value }));
      return result({
        kind: t.kind,
        id: t.id,
        agent: t.agent,
        messages_total: t.messageCount,
        messages,
        report: { overall_quality: t.report.overall_quality, quality_score: t.report.quality_score, summary: t.report.summary },
        labels: t.labels.map(label),
      });
    },
  );

  register(
    'review_label',
    {
      description:
        "Give a target a human label for a signal (judge human, with who and when): it stays the target's label whatever a machine judge says later, and counts first in training and in every judge's agreement. Only when a person decided the label: pass their name as reviewer.",
      inputSchema: z.object({
        signal: signalRef,
        id: z.string().min(1).describe("The target's id (its kind is the signal's scope)"),
        agent: z.string().min(1).optional().describe('The agent of the target; needed when several agents sent this id'),
        value: z.string().min(1).describe("One of the signal's labels (yes or no for a yes/no signal)"),
        reviewer: z.string().min(1).max(100).describe('The person who decided the label'),
        note: z.string().max(500).optional().describe('Why (shown as the explanation)'),
      }),
    },
    async ({ signal, id, agent, value, reviewer, note }) => result(label(await api.review(signal, defined({ id, agent, value, reviewer, note }) as never))),
  );

  register(
    'judge_agreement',
    {
      description:
        "Per version of a signal: labels per judge (rules, llm, learned, human), the LLM's share and the cost saved per 1,000 targets, and agreement with human reviewers (share, Cohen's kappa, confusion).",
      inputSchema: z.object({ signal: signalRef }),
      annotations: ro,
    },
    async ({ signal }) => result(await api.judges(signal)),
  );

  register(
    'list_alerts',
    { description: 'List alerts with their signal, state (ok, pending, firing, paused) and rule.', inputSchema: z.object({ signal: signalRef.optional() }), annotations: ro },
    async ({ signal }) => result(await api.listAlerts(signal)),
  );

  register(
    'create_alert',
    {
      description: 'Create an alert on a signal\'s labels (Prometheus-style: window, for, cooldown, no-data policy). Backtest it with backtest_alert.',
      inputSchema: z.object({
        signal: signalRef,
        name: z.string().min(1).describe('A name for the alert'),
        metric: z.enum(['volume', 'true_rate', 'value_count', 'value_share']).describe('volume: labels in the window; true_rate: share of yes (binary); value_count / value_share: count or share of one value'),
        value: z.string().optional().describe('The label value for value_count / value_share'),
        comparison: z.enum(['above', 'below', 'change']).describe('above / below the threshold, or change in percent against the prior window'),
        threshold: z.number().describe('Absolute threshold, or a percent for change'),
        window: z.string().describe('Window from "5m" to "48h"'),
        every: z.string().optional().describe('Evaluation interval (default "1m")'),
        min_labels: z.number().int().min(0).optional().describe('Fewer labels in the window is no data'),
        for: z.string().optional().describe('How long the condition must hold before firing (default "0s")'),
        cooldown: z.string().optional().describe('Wait between repeat notifications (default "1h")'),
        no_data: z.enum(['ok', 'keep_state', 'alert']).optional().describe('State when there is no data (default ok)'),
        channels: channels.optional(),
      }),
    },
    async (input) => result(await api.createAlert(defined(input))),
  );

  register(
    'edit_alert',
    {
      description: 'Change an alert\'s rule fields (window, threshold, for, cooldown, min_labels, channels, name, ...); the rule is validated again. Returns the alert and what changed.',
      inputSchema: z.object({
        alert: alertRef,
        changes: z.record(z.string(), z.unknown()).describe('Rule fields to change, e.g. {"cooldown": "30m", "threshold": 0.4}; null resets a field to its default'),
      }),
    },
    async ({ alert, changes }) => result(await api.editAlert(alert, changes)),
  );

  register(
    'alert_history',
    {
      description: 'An alert\'s history, newest first: state changes (ok, pending, firing, paused and resumed) with the value and reason, and each notification\'s delivery to a channel (pending with its next try, sent, or failed; attempts and the last reason).',
      inputSchema: z.object({ alert: alertRef, limit: z.number().int().min(1).max(500).default(50).describe('Most entries returned (default 50)') }),
      annotations: ro,
    },
    async ({ alert, limit }) => result((await api.alertHistory(alert)).slice(0, limit)),
  );

  register(
    'pause_alert',
    {
      description: 'Pause an alert (no evaluation, no notification), or resume it with paused: false.',
      inputSchema: z.object({ alert: alertRef, paused: z.boolean().default(true).describe('true pauses, false resumes') }),
    },
    async ({ alert, paused }) => result(await api.setAlertPaused(alert, paused)),
  );

  register(
    'backtest_alert',
    {
      description:
        'Replay an alert over the stored labels of a past window: exact counts of state transitions and of the notifications it would have sent, ' +
        'and those transitions and notifications a part at a time (50 unless limit says otherwise); when next_cursor is not null, call again with ' +
        'it as cursor and the since and until of the answer to get the next part. Sends nothing.',
      inputSchema: z.object({
        alert: alertRef,
        since: time('Window start'),
        until: time('Window end (default now)').optional(),
        limit: z.number().int().min(1).max(200).default(50).describe('Transitions (and notifications) listed per part, 1 to 200 (default 50)'),
        cursor: z.string().optional().describe('next_cursor of the previous answer (ask with its since and until)'),
      }),
      annotations: ro,
    },
    async ({ alert, since, until, limit, cursor }) => {
      const r = (await api.backtestAlert(alert, { since, until: until ?? new Date().toISOString(), limit, cursor })) as BacktestView;
      return result({
        since: r.since,
        until: r.until,
        evaluations: r.evaluations,
        state: r.state,
        fired: r.fired,
        resolved: r.resolved,
        transitions_total: r.transitionsTotal,
        notifications_total: r.notificationsTotal,
        transitions: r.transitions,
        notifications: r.notifications,
        next_cursor: r.nextCursor,
      });
    },
  );
}

/**
 * A fresh MCP server with the signals tools `caller` may call (one per stdio connection or HTTP request, as the
 * SDK's entries ask); `instructions` tell a scoped key's client what is the operator's.
 */
export function createSignalsMcpServer(api: SignalsApi, version = '0.0.0', caller: Caller = callerOf(undefined)): McpServer {
  const server = new McpServer({ name: 'agent-signals', version }, { capabilities: { tools: {} }, ...(caller.note === undefined ? {} : { instructions: caller.note }) });
  registerSignalsTools(server, api, caller);
  return server;
}
