import type { CapturedSpan } from '../formats/captured-span.js';
import { labelStatements } from '../store/labels.js';
import { activeSignals } from '../store/signals.js';
import { groupBy } from '../formats/group-by.js';
import { readLogRecords, withLogRecords, type SpanLogRecord } from '../formats/traces/log-records.js';
import type { ExportLogsRequestJson } from '../otlp/types.js';
import { spanKeyOf, spanLogKeyOf, spanLogsOf, spanLogStatements, spansByIds, spanServiceOf } from '../store/span-logs.js';
import { capturedOf, keyOf, nsToMs, rollupStatements, spanContentStatements, spanRow, spanStatements, traceById, type SpanRow } from '../store/traffic.js';
import { storableAgent, storableSpans } from '../store/storable.js';
import { inScope, type AgentScope } from './scope.js';
import type { Store, StoreStatement } from '../store/types.js';
import { movedToLateAgents, withStoredAncestors } from '../store/agent-moves.js';
import { ServiceError } from './api.js';
import { serviceContext, type ServiceContext, type ServiceOptions } from './context.js';
import { currentDefinition, jobStatements, judgeLiveSignals, type LiveSignal, type TimedTarget } from './labeller.js';
import { slicer } from './slices.js';
import { hasReadableMessage } from '../custom/readable.js';
import { agentName } from '../formats/agent-name.js';
import { targetFromSpans } from './targets.js';

/** What one ingest did. */
export interface IngestResult {
  /** Spans in the input. */
  spans: number;
  /** Spans not stored before (a re-ingest gives 0). */
  stored: number;
  /** Span-scope labels written inline. */
  labels: number;
  /** LLM jobs queued. */
  queued: number;
  /** New LLM spans with no readable message: stored, never labelled. */
  unreadable: number;
  /** Spans refused for a caller scoped to one agent: another agent's, or sent by another service. Not stored; absent when none. */
  refused?: number;
  /**
   * Spans whose agent or service name was stored in its one form (`storableAgent`: no invisible characters, no odd
   * white space, NFKC) rather than as sent; absent when none.
   */
  renamed?: number;
}

/**
 * Stores the spans of an OTLP/JSON export (or spans already read) and labels new span-scope targets for every
 * active signal of their agent at once; trace and session scopes are labelled by `tick` once they settle.
 */
export async function ingest(
  store: Store,
  input: unknown,
  options: ServiceOptions & { now?: number | (() => number) },
): Promise<IngestResult> {
  const { now, ...rest } = options;
  const clock = typeof now === 'number' ? () => now : now;
  return ingestWith(serviceContext(store, { ...rest, now: clock }), input);
}

/** `ingest` over a resolved context. */
export async function ingestWith(ctx: ServiceContext, input: unknown, scope?: AgentScope): Promise<IngestResult> {
  let spans: CapturedSpan[];
  if (Array.isArray(input)) spans = input as CapturedSpan[];
  else {
    try {
      spans = ctx.ports.readSpans(input);
    } catch (e) {
      throw new ServiceError('invalid', `Not a readable OTLP/JSON trace export: ${(e as Error).message}`);
    }
  }
  return inTurn(ctx.store, () => storeSpans(ctx, spans, scope));
}

/**
 * Ingests into one store run one at a time in this process, each from its first read to its commit: an ingest reads
 * what is stored (log records waiting for their span, the stored spans a log record joins, ancestors naming the agent)
 * and commits what it built from that, so a span and its log records arriving in concurrent exports (an SDK's trace
 * and log exporters send at the same moment) must not both read before either commits: each would miss the other for
 * good, and the span would stay without its content. Parsing and validation stay outside the turn.
 */
const turns = new WeakMap<Store, Promise<unknown>>();

function inTurn<T>(store: Store, work: () => Promise<T>): Promise<T> {
  const run = (turns.get(store) ?? Promise.resolve()).then(work);
  turns.set(store, run.catch(() => undefined));
  return run;
}

async function storeSpans(ctx: ServiceContext, spans: CapturedSpan[], scope: AgentScope | undefined): Promise<IngestResult> {
  const now = ctx.now();
  // A local libsql read resolves without a turn of the event loop, so the reads, the statements and the targets of a
  // large export would hold the loop as one task: a turn between them once 10 ms have run.
  const slice = slicer();
  const received = spans.length;
  // Ids and names as every store keeps them, before any read looks them up (and before a scoped caller's spans are
  // compared with its agent): names that look alike are one agent.
  const storable = storableSpans(spans);
  const renamed = storable.renamed;
  spans = storable.spans;
  // Content that arrived first as log records (POST /v1/logs) joins its span now.
  spans = await withStoredLogs(ctx.store, spans);
  // The agent of a span comes from its ancestors whichever export brings them: spans whose export named no agent
  // take it from stored ancestors, and stored spans waiting for one move to the agent an incoming span names.
  spans = await withStoredAncestors(ctx.store, spans);
  // A caller scoped to one agent stores that agent's spans only, sent by the service of that name: not a span naming
  // (or under a stored span of) another agent, nor one whose service another agent's log records join.
  let refused = 0;
  if (scope !== undefined) {
    const before = spans.length;
    spans = spans.filter((s) => s.agent === scope.agent && spanServiceOf(s) === scope.agent);
    refused = before - spans.length;
  }
  // Nor does it move another agent's stored spans to its own.
  const moves = await movedToLateAgents(ctx.store, spans, scope?.agent);
  await slice.tick();
  // The spans, their span-scope labels and the LLM jobs that will label the rest commit in one batch: a crash
  // leaves either all of them or none (the exporter re-sends an export that was not acknowledged).
  const stored = await spanStatements(ctx.store, [...spans, ...moves.moved], now, () => slice.tick());
  const { fresh } = stored;
  const statements = [...moves.statements, ...stored.statements];
  // Spans moving to their agent were stored and counted when they first arrived.
  const arrived = new Set(moves.moved);
  const result: IngestResult = { spans: received, stored: fresh.filter((s) => !arrived.has(s)).length, labels: 0, queued: 0, unreadable: 0, ...(refused > 0 ? { refused } : {}), ...(renamed > 0 ? { renamed } : {}) };
  // Span scope labels LLM calls (the unit `assembleConversations` gives per span); one without a readable message
  // is counted and never judged.
  result.unreadable = fresh.filter((s) => !arrived.has(s) && (s.unreadable || (s.kind === 'llm' && s.messages.length === 0))).length;
  await slice.tick();
  const labelled = await labelSpans(ctx, fresh, now, statements);
  result.labels = labelled.labels;
  result.queued = labelled.queued;
  result.unreadable += labelled.unreadable;
  // The label statements were built right after the judge thread answered, in the same task: the batch starts a
  // task of its own (it slices itself from there).
  await slice.tick();
  await ctx.store.batch(statements);
  if (result.queued > 0) await ctx.notify({ type: 'llm' });
  return result;
}

/**
 * The spans with the log records stored for them, those of each span's own service (only spans without messages of
 * their own read them).
 */
async function withStoredLogs(store: Store, spans: CapturedSpan[]): Promise<CapturedSpan[]> {
  const bare = spans.filter((s) => s.messages.length === 0);
  if (bare.length === 0) return spans;
  const logs = await spanLogsOf(store, bare);
  if (logs.size === 0) return spans;
  return spans.map((s) => (s.messages.length === 0 ? withLogRecords(s, logs.get(spanLogKeyOf(spanServiceOf(s), s.traceId, s.spanId)) ?? []) : s));
}

/**
 * Span-scope labels (and LLM jobs) for these spans, appended to `statements`, for every active span signal of their
 * agents; LLM calls without a readable message are counted (`unreadable`), never judged.
 */
async function labelSpans(ctx: ServiceContext, spans: CapturedSpan[], now: number, statements: StoreStatement[]): Promise<{ labels: number; queued: number; unreadable: number }> {
  const out = { labels: 0, queued: 0, unreadable: 0 };
  const byAgent = new Map<string, CapturedSpan[]>();
  for (const s of spans) {
    if (s.kind !== 'llm' || s.messages.length === 0 || s.unreadable) continue;
    const list = byAgent.get(s.agent);
    if (list === undefined) byAgent.set(s.agent, [s]);
    else list.push(s);
  }
  for (const [agent, list] of byAgent) {
    const signals = await activeSignals(ctx.store, agent, 'span');
    if (signals.length === 0) continue;
    const slice = slicer();
    const targets: TimedTarget[] = [];
    for (const s of list) {
      await slice.tick();
      const target = targetFromSpans('span', s.spanId, [spanRow(s, now)], 1);
      if (hasReadableMessage(target)) targets.push({ target, at: nsToMs(s.endTimeUnixNano) });
      else out.unreadable++;
    }
    const live: LiveSignal[] = [];
    for (const row of signals) {
      const definition = await currentDefinition(ctx, row);
      if (definition === undefined) continue;
      live.push({ signal: { row, version: row.version, definition }, targets: targets.map((_, i) => i) });
    }
    for (const judged of (await judgeLiveSignals(ctx, targets, live)).judged) {
      // Each signal's label rows (and the read of which targets were labelled before) in a task of its own.
      await slice.tick();
      statements.push(...(await labelStatements(ctx.store, judged.labels)), ...jobStatements(ctx, judged));
      out.labels += judged.labels.length;
      out.queued += judged.jobs.length;
    }
  }
  return out;
}

/** What one logs ingest did. */
export interface LogsIngestResult {
  /** Log records in the export. */
  records: number;
  /** GenAI events kept (joined to their span now, or when it arrives). */
  events: number;
  /** Records that are not GenAI events (application logs): not kept. */
  ignored: number;
  /** GenAI events without a trace or span id: nothing to join them to, counted and not kept. */
  unjoinable: number;
  /**
   * GenAI events naming a stored span of another service (another agent's exporter, or the same ids reused) and none
   * of their own: refused, not kept, never joined.
   */
  foreign: number;
  /** GenAI events refused for a caller scoped to one agent: sent by a service of another name. Not kept. */
  outOfScope: number;
  /** GenAI events whose service name was read in its one form (`storableAgent`), as their spans' are, not as sent. */
  renamed: number;
  /** Stored spans whose messages these records changed (their trace and session are labelled again). */
  joined: number;
  /** Span-scope labels written inline for spans that became readable. */
  labels: number;
  /** LLM jobs queued. */
  queued: number;
}

/**
 * Stores the GenAI events of an OTLP logs export (validated, src/otlp) by the span they belong to, and re-reads every
 * stored span they join: a span that gains readable messages is labelled at span scope, and its trace and session get a
 * new revision, so they settle and are labelled again with the content. Records whose span has not arrived wait for it.
 */
export async function ingestLogsWith(ctx: ServiceContext, request: ExportLogsRequestJson, scope?: AgentScope): Promise<LogsIngestResult> {
  const read = readLogRecords(request);
  const result: LogsIngestResult = {
    records: read.records.length + read.ignored + read.unjoinable,
    events: read.records.length,
    ignored: read.ignored,
    unjoinable: read.unjoinable,
    foreign: 0,
    outOfScope: 0,
    renamed: read.records.filter((r) => agentName(r.service) !== r.service).length,
    joined: 0,
    labels: 0,
    queued: 0,
  };
  // The service as every store keeps it (as a span's), so a record and its span compare equal.
  let records = read.records.map((r) => ({ ...r, service: storableAgent(r.service) }));
  if (scope !== undefined) {
    records = records.filter((r) => r.service === scope.agent);
    result.outOfScope = read.records.length - records.length;
  }
  if (records.length === 0) return result;
  return inTurn(ctx.store, () => storeLogRecords(ctx, records, result, scope));
}

async function storeLogRecords(ctx: ServiceContext, input: SpanLogRecord[], result: LogsIngestResult, scope: AgentScope | undefined): Promise<LogsIngestResult> {
  const now = ctx.now();
  const statements: StoreStatement[] = [];
  const found = await spansByIds(ctx.store, input);
  // A record joins the span of its ids sent by its own service (and, for a scoped caller, of its agent); a record
  // whose ids only another service's span has is refused: joined, it would put one agent's messages on another's
  // span (and its labels), and kept, it would be read back with them.
  const own = (row: SpanRow, r: SpanLogRecord) => spanServiceOf(row) === r.service && inScope(scope, row.agent);
  const byIds = groupBy(found, (row) => spanKeyOf(row.traceId, row.spanId));
  const records = input.filter((r) => {
    const rows = byIds.get(spanKeyOf(r.traceId, r.spanId));
    return rows === undefined || rows.some((row) => own(row, r));
  });
  result.foreign = input.length - records.length;
  const incoming = groupBy(records, (r) => spanLogKeyOf(r.service, r.traceId, r.spanId));
  const rows = found.filter((row) => inScope(scope, row.agent) && incoming.has(spanLogKeyOf(spanServiceOf(row), row.traceId, row.spanId)));
  const stored = rows.length === 0 ? new Map<string, SpanLogRecord[]>() : await spanLogsOf(ctx.store, rows);
  const updated: SpanRow[] = [];
  const changed: SpanRow[] = [];
  const readable: CapturedSpan[] = [];
  for (const row of rows) {
    const key = spanLogKeyOf(spanServiceOf(row), row.traceId, row.spanId);
    const all = new Map((stored.get(key) ?? []).map((r) => [r.key, r]));
    for (const r of incoming.get(key) ?? []) all.set(r.key, r);
    const before = capturedOf(row);
    const after = withLogRecords(before, [...all.values()]);
    // The span keeps the conversation its messages were stored in.
    const next = { ...spanRow(after, row.receivedAt), conversation: row.conversation };
    updated.push(next);
    if (after === before || (JSON.stringify(after.messages) === JSON.stringify(before.messages) && after.unreadable === before.unreadable)) continue;
    result.joined++;
    if (before.messages.length === 0) readable.push(after);
    changed.push(next);
  }
  statements.push(...(await spanContentStatements(ctx.store, changed)));
  statements.push(...spanLogStatements(ctx.store, records, now));
  // After the records are in: the revisions count them, so the spans' traces and sessions settle again.
  if (updated.length > 0) statements.push(...rollupStatements(ctx.store, await withTraceSessions(ctx.store, updated), now));
  const labelled = await labelSpans(ctx, readable, now, statements);
  result.labels = labelled.labels;
  result.queued = labelled.queued;
  await ctx.store.batch(statements);
  if (result.queued > 0) await ctx.notify({ type: 'llm' });
  return result;
}

/** Span rows with the session of their trace where they name none (an LLM span under an agent span that names it). */
async function withTraceSessions(store: Store, rows: SpanRow[]): Promise<SpanRow[]> {
  const missing = rows.filter((r) => r.sessionId === null);
  if (missing.length === 0) return rows;
  const sessionOf = new Map<string, string | null>();
  for (const r of missing) {
    const key = keyOf(r.agent, r.traceId);
    if (!sessionOf.has(key)) sessionOf.set(key, (await traceById(store, { agent: r.agent, id: r.traceId }))?.sessionId ?? null);
  }
  return rows.map((r) => (r.sessionId === null ? { ...r, sessionId: sessionOf.get(keyOf(r.agent, r.traceId)) ?? null } : r));
}
