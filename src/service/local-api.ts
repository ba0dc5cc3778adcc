import { analyze } from '../core/analyze.js';
import { callerOf } from './caller.js';
import type { Message } from '../core/types.js';
import { providerFor, providerInfos } from '../custom/llm/providers.js';
import { isBudgetExceeded } from '../custom/llm/budget.js';
import { labelOptions, llmSection, PLAIN_KEYS, plainDefinition } from '../custom/plain-signal.js';
import { validateDefinition } from '../custom/config.js';
import { labelNames, type SignalDefinition, versionChangeProblem } from '../custom/definition.js';
import type { Target, TargetKind } from '../custom/types.js';
import { labelBuckets, labelHeadlines, listLabels, targetLabels, type LabelRecord } from '../store/labels.js';
import { insertRun, listRunRows, runById, finishRun, type RunRow } from '../store/runs.js';
import { findSignal, insertSignal, insertVersion, listSignalRows, listVersions, updateSignalState, versionDefinition, type SignalRow } from '../store/signals.js';
import { agentTotals, countTargets, listTargets, trafficBuckets } from '../store/traffic.js';
import type { Store } from '../store/types.js';
import { createAlertMethods } from './alerts.js';
import { createExploreMethods } from './explore-api.js';
import {
  ServiceError,
  type CapHold,
  type CreateSignalInput,
  type DistributionBucket,
  type LabelQuery,
  type LabelRow,
  type MessagePageQuery,
  type Page,
  type RunQuery,
  type RunSummary,
  type SignalDetail,
  type SignalsApi,
  type SignalState,
  type SignalSummary,
  type TestResult,
  type TestSignalInput,
  type TrafficBucket,
} from './api.js';
import { serviceContext, type ServiceContext, type ServiceOptions } from './context.js';
import { providerHolds, signalHolds } from './caps.js';
import { zeroCost, addCost } from './labeller.js';
import { learnSignal } from './learn.js';
import { judgeReport, removeReview, reviewQueue, reviewTarget } from './review.js';
import { loadSignal, loadTarget } from './loading.js';
import { hasReadableMessage } from '../custom/readable.js';
import { transition } from './states.js';
import { iso, newId, parseDuration, parseTime } from './time.js';

const DAY = 86_400_000;
/** A Test of a filtered signal looks at up to this many stored targets per target asked for. */
const TEST_EXAMINE_PER_TARGET = 10;
const MAX_BUCKETS = 2000;

/** The signals API over a store: what the HTTP routes, the CLI (local store) and the MCP tools call. */
export function createLocalApi(store: Store, options: ServiceOptions): SignalsApi {
  return apiFor(serviceContext(store, options));
}

/** `createLocalApi` over a resolved context (the service shares one context between API, ingest and tick). */
export function apiFor(ctx: ServiceContext): SignalsApi {
  const { store } = ctx;

  const summaries = async (rows: SignalRow[]): Promise<SignalSummary[]> => {
    const heads = await labelHeadlines(store, rows.map((r) => r.id), ctx.now() - DAY);
    const held = await signalHolds(ctx, rows);
    return rows.map((r) => summaryOf(r, heads.get(r.id) ?? { labelled: 0, recent: {} }, held.get(r.id)));
  };
  const detail = async (row: SignalRow): Promise<SignalDetail> => {
    const [summary] = await summaries([row]);
    const definition = await versionDefinition(store, row.id, row.version);
    return { ...summary, definition: definition! };
  };
  const signalRow = async (ref: string): Promise<SignalRow> => (await loadSignal(ctx, ref)).row;
  const definitionFrom = (input: { definition?: unknown; template?: string; overrides?: unknown }): SignalDefinition => {
    let base: unknown = input.definition;
    if (input.template !== undefined) {
      if (typeof input.template !== 'string') throw new ServiceError('invalid', `template: a template id (a string), got ${JSON.stringify(input.template)}`);
      base = ctx.ports.template(input.template);
      if (base === undefined) {
        throw new ServiceError('not_found', `No template "${input.template}" (templates: ${ctx.ports.templateIds().join(', ')})`);
      }
    }
    if (base === undefined) throw new ServiceError('invalid', 'Give a definition or a template');
    const merged = input.overrides === undefined ? base : { ...(base as object), ...(input.overrides as object) };
    const v = validateDefinition(merged);
    if (!v.ok) {
      const lines = v.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
      throw new ServiceError('invalid', `Invalid signal definition: ${lines.join('; ')}`, lines);
    }
    unknownProvider(v.value);
    return v.value;
  };
  // A provider named explicitly must be one the operator configured (no provider at all is said by the judge).
  const unknownProvider = (def: SignalDefinition): void => {
    const name = def.llm?.provider;
    if (name === undefined || ctx.providers.has(name)) return;
    const line = `llm.provider: no provider "${name}" (the operator configured: ${[...ctx.providers.keys()].join(', ') || 'none'}; see GET /v1/providers)`;
    throw new ServiceError('invalid', `Invalid signal definition: ${line}`, [line]);
  };
  // A signal judged by an LLM needs a provider: refused now with how to configure one, not as error labels later.
  const checkProvider = (definition: SignalDefinition): void => {
    if (definition.judge !== 'llm') return;
    const found = providerFor(definition.llm, ctx.providers);
    if (found instanceof Error) throw new ServiceError('invalid', found.message);
  };

  const api: SignalsApi = {
    async listSignals(options = {}) {
      return summaries(await listSignalRows(store, options));
    },

    async getSignal(ref) {
      return detail(await signalRow(ref));
    },

    async createSignal(input: CreateSignalInput) {
      const definition = definitionFrom(creationSource(input));
      checkProvider(definition);
      if ((await findSignal(store, definition.name)) !== undefined) {
        throw new ServiceError('conflict', `A signal named "${definition.name}" exists already (edit it, or choose another name)`);
      }
      const state = input.state ?? 'draft';
      if (state !== 'draft' && state !== 'active') throw new ServiceError('invalid', `A new signal is draft or active, not "${String(state)}"`);
      const now = ctx.now();
      const row: SignalRow = {
        id: newId('sig'),
        name: definition.name,
        agent: definition.agent,
        scope: definition.scope,
        type: definition.type,
        state,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      await insertSignal(store, row, definition);
      return detail(row);
    },

    async editSignal(ref, patch) {
      const current = await loadSignal(ctx, ref);
      if (patch.scope !== undefined && patch.scope !== current.definition.scope) {
        throw new ServiceError(
          'invalid',
          `The scope of "${current.row.name}" is ${current.definition.scope} and cannot change: create a new signal with scope ${JSON.stringify(patch.scope)}`,
        );
      }
      // A field set to null is removed (its default applies): how a form drops the labels, the filter or the llm section.
      const merged: Record<string, unknown> = { ...current.definition, ...patch };
      for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
      const next = definitionFrom({ definition: merged });
      checkProvider(next);
      const problem = versionChangeProblem(current.definition, next);
      if (problem !== null) throw new ServiceError('invalid', problem);
      const changes = diffDefinitions(current.definition, next);
      if (changes.length === 0) return { signal: await detail(current.row), changes };
      await insertVersion(store, current.row, current.version + 1, next, ctx.now());
      return { signal: await detail(await signalRow(current.row.id)), changes };
    },

    async setState(ref, state: SignalState) {
      const row = await signalRow(ref);
      const to = transition(row.name, row.state, state);
      await updateSignalState(store, row.id, to, ctx.now());
      return detail(await signalRow(row.id));
    },

    async versions(ref) {
      const row = await signalRow(ref);
      return (await listVersions(store, row.id)).map((v) => ({
        signalId: v.signalId,
        version: v.version,
        definition: v.definition as SignalDefinition,
        createdAt: iso(v.createdAt),
      }));
    },

    async testSignal(input: TestSignalInput) {
      return testSignal(ctx, input, definitionFrom);
    },

    async learn(ref, input) {
      return learnSignal(ctx, api, ref, input ?? {});
    },

    async review(ref, input) {
      return reviewTarget(ctx, ref, input);
    },

    async removeReview(ref, labelId) {
      return removeReview(ctx, ref, labelId);
    },

    async reviewQueue(ref, query) {
      return reviewQueue(ctx, ref, query);
    },

    async judges(ref) {
      return judgeReport(ctx, ref);
    },

    async startRun(ref, input) {
      const signal = await loadSignal(ctx, ref);
      if (signal.row.state === 'archived') throw new ServiceError('conflict', `Signal "${signal.row.name}" is archived; restore it before a backfill`);
      const now = ctx.now();
      const since = parseTime(input.since, 'since', now);
      // The window ends no later than the run's start (plus the clock skew allowed to senders): traffic that arrives
      // while it runs is live traffic's, so the total counted now stays the total.
      const until = Math.min(parseTime(input.until, 'until', now), now + RUN_CLOCK_SKEW_MS);
      if (!(since < until)) throw new ServiceError('invalid', `since (${iso(since)}) must be before until (${iso(until)}: a window ends no later than now)`);
      const rate = input.rate ?? signal.definition.sample_rate;
      if (!(rate > 0 && rate <= 1)) throw new ServiceError('invalid', `rate must be above 0 and at most 1, got ${rate}`);
      const total = await countTargets(store, signal.row.scope, { agent: signal.row.agent, since, until });
      const run: RunRow = {
        id: newId('run'),
        signalId: signal.row.id,
        version: signal.version,
        kind: 'backfill',
        since,
        until,
        rate,
        status: 'queued',
        total,
        done: 0,
        counts: {},
        unreadable: 0,
        requests: 0,
        inputTokens: 0,
        outputTokens: 0,
        usd: 0,
        error: null,
        cursor: null,
        createdAt: now,
        updatedAt: now,
        finishedAt: null,
        // Unclaimed: the first replica whose runs lane passes takes it.
        leaseOwner: null,
        leaseUntil: 0,
        leaseToken: null,
        resumeAt: null,
      };
      await insertRun(store, run);
      await ctx.notify({ type: 'run', id: run.id });
      return runSummary(run);
    },

    async getRun(id) {
      const run = await runById(store, id);
      if (run === undefined) throw new ServiceError('not_found', `No run "${id}"`);
      return runSummary(run);
    },

    async listRuns(ref, query: RunQuery = {}) {
      const signalId = ref === undefined ? undefined : (await signalRow(ref)).id;
      const limit = pageNumber(query.limit, 'limit', DEFAULT_RUNS, 1, MAX_RUNS);
      const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const rows = await listRunRows(store, { signalId, agent: query.agent, before, limit: limit + 1 });
      return keysetPage(rows, limit, (r) => r.createdAt, runSummary);
    },

    async cancelRun(id) {
      const run = await runById(store, id);
      if (run === undefined) throw new ServiceError('not_found', `No run "${id}"`);
      if (run.status === 'done' || run.status === 'failed' || run.status === 'cancelled') {
        throw new ServiceError('conflict', `Run ${id} is ${run.status} already`);
      }
      await finishRun(store, id, 'cancelled', ctx.now());
      return runSummary((await runById(store, id))!);
    },

    async labels(ref, query: LabelQuery = {}) {
      const row = await signalRow(ref);
      if (query.value !== undefined) {
        // A value no version of the signal can give is a mistake (a typo), not an empty page.
        const allowed = new Set<string>();
        for (const v of await listVersions(store, row.id)) for (const l of labelNames(v.definition as SignalDefinition)) allowed.add(l);
        allowed.add('undecided').add('error');
        if (!allowed.has(query.value)) throw new ServiceError('invalid', `value: "${query.value}" is not a label of "${row.name}" (${[...allowed].join(', ')})`);
      }
      const now = ctx.now();
      const limit = query.limit ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new ServiceError('invalid', `limit must be 1 to 500, got ${limit}`);
      const rows = await listLabels(store, {
        signalId: row.id,
        value: query.value,
        since: query.since === undefined ? undefined : parseTime(query.since, 'since', now),
        until: query.until === undefined ? undefined : parseTime(query.until, 'until', now),
        before: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
        limit: limit + 1,
      });
      return keysetPage(rows, limit, (r) => r.at, labelRow);
    },

    async distribution(ref, query = {}) {
      const row = await signalRow(ref);
      const { since, until, bucketMs, n } = bucketWindow(ctx.now(), query);
      const out: DistributionBucket[] = Array.from({ length: n }, (_, i) => ({ start: iso(since + i * bucketMs), counts: {} }));
      for (const b of await labelBuckets(store, row.id, since, until, bucketMs)) out[b.bucket].counts[b.key] = b.n;
      return out;
    },

    async target(kind: TargetKind, id: string, agent?: string, page: MessagePageQuery = {}) {
      const limit = pageNumber(page.limit, 'limit', DEFAULT_TARGET_MESSAGES, 1, MAX_TARGET_MESSAGES);
      if (kind !== 'span' && kind !== 'trace' && kind !== 'session') {
        throw new ServiceError('invalid', `Target kind must be span, trace or session, got "${String(kind)}"`);
      }
      const loaded = await loadTarget(ctx, kind, id, agent);
      if (loaded === undefined) throw new ServiceError('not_found', `No ${kind} "${id}"${agent === undefined ? '' : ` of agent "${agent}"`} in the store`);
      const { target } = loaded;
      return {
        kind,
        id,
        agent: target.agent,
        meta: target.meta,
        ...messagePage(target.messages, limit, page.before),
        report: target.report ?? analyze(target.messages),
        labels: (await targetLabels(store, kind, target.agent, id)).map(labelRow),
      };
    },

    async providers() {
      // A provider its breaker paused (failing or hanging: this replica's calls), or whose day cap the ledger shows
      // reached (any replica's spend), says why and until when; its jobs wait meanwhile.
      const held = await providerHolds(ctx);
      return providerInfos(ctx.providers).map((p) => {
        const hold = held.get(p.name);
        const paused = ctx.breakers.paused(p.name) ?? (hold === undefined ? undefined : { reason: hold.reason, until: hold.until });
        return paused === undefined ? p : { ...p, paused };
      });
    },
    async agents() {
      return (await agentTotals(store)).map((a) => ({
        agent: a.agent,
        sessions: a.sessions,
        traces: a.traces,
        spans: a.spans,
        firstSeen: iso(a.firstSeen),
        lastSeen: iso(a.lastSeen),
      }));
    },

    async traffic(query = {}) {
      const { since, until, bucketMs, n } = bucketWindow(ctx.now(), query);
      const out: TrafficBucket[] = Array.from({ length: n }, (_, i) => ({ start: iso(since + i * bucketMs), traces: {} }));
      for (const b of await trafficBuckets(store, { agent: query.agent, since, until, bucketMs })) out[b.bucket].traces[b.agent] = b.n;
      return out;
    },

    async whoami() {
      // A local store answers its only caller: the operator.
      return callerOf(undefined);
    },

    ...createAlertMethods(ctx),
    ...createExploreMethods(ctx),
  };
  return api;
}

/**
 * Where a new signal's definition comes from: `definition`, `template` (+ `overrides`, or the plain fields as
 * overrides), or the plain fields alone (an LLM-judged signal from a name and a prompt).
 */
export function creationSource(input: CreateSignalInput): { definition?: unknown; template?: string; overrides?: unknown } {
  const raw = input as unknown as Record<string, unknown>;
  const plain = PLAIN_KEYS.filter((k) => raw[k] !== undefined);
  if (input.definition !== undefined) {
    if (input.template !== undefined) throw new ServiceError('invalid', 'Give a definition or a template, not both');
    if (plain.length > 0) throw new ServiceError('invalid', `Give a definition or the plain fields (${plain.join(', ')}), not both`);
    return { definition: input.definition };
  }
  if (input.template !== undefined) {
    const overrides: Record<string, unknown> = { ...(input.overrides as Record<string, unknown> | undefined) };
    for (const k of plain) if (k !== 'provider' && k !== 'model') overrides[k] = raw[k];
    if (Array.isArray(raw.labels)) {
      overrides.labels = labelOptions(raw.labels);
      overrides.type = 'labels';
    }
    const llm = llmSection(raw);
    if (llm !== undefined) overrides.llm = llm;
    return { template: input.template, overrides: Object.keys(overrides).length > 0 ? overrides : undefined };
  }
  if (plain.length === 0) throw new ServiceError('invalid', 'Give a name and a prompt (or a template, or a definition)');
  if (typeof raw.name !== 'string' || raw.name === '') throw new ServiceError('invalid', 'name is required (the signal name)');
  if (typeof raw.prompt !== 'string' || raw.prompt.trim() === '') throw new ServiceError('invalid', 'prompt is required (what the LLM judge decides)');
  return { definition: plainDefinition(raw) };
}

/** A bucketed window (default the last 24 h in 1 h buckets), aligned to multiples of the bucket (UTC). */
function bucketWindow(now: number, query: { bucket?: string; since?: string; until?: string }): { since: number; until: number; bucketMs: number; n: number } {
  const bucketMs = parseDuration(query.bucket ?? '1h', 'bucket');
  const until = query.until === undefined ? now : parseTime(query.until, 'until', now);
  const sinceRaw = query.since === undefined ? until - DAY : parseTime(query.since, 'since', now);
  // Buckets align to multiples of the bucket size (UTC), so hourly buckets start on the hour.
  const since = Math.floor(sinceRaw / bucketMs) * bucketMs;
  if (!(since < until)) throw new ServiceError('invalid', 'since must be before until');
  const n = Math.ceil((until - since) / bucketMs);
  if (n > MAX_BUCKETS) throw new ServiceError('invalid', `${n} buckets requested; at most ${MAX_BUCKETS} (use a larger bucket)`);
  return { since, until, bucketMs, n };
}

/** Runs a page holds unless asked, and at most. */
const DEFAULT_RUNS = 50;
const MAX_RUNS = 200;

/** Messages a target answer holds unless asked (the last ones: where a conversation went is usually at its end). */
const DEFAULT_TARGET_MESSAGES = 200;
/** Most messages one target answer holds, so a 50,000-message session is read in pages. */
const MAX_TARGET_MESSAGES = 1_000;

/** A whole number from `min` to `max` (or the default when absent); a ServiceError naming the field otherwise. */
function pageNumber(value: unknown, field: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ServiceError('invalid', `${field}: a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The last `limit` messages before index `before` (default the end), and where they sit in the whole. */
function messagePage(all: Message[], limit: number, before: unknown): { messages: Message[]; messageCount: number; messageOffset: number } {
  const end = Math.min(all.length, pageNumber(before, 'before', all.length, 0, Number.MAX_SAFE_INTEGER));
  const start = Math.max(0, end - limit);
  return { messages: all.slice(start, end), messageCount: all.length, messageOffset: start };
}

/** How far past the service's clock a backfill window may reach, for senders whose clocks run ahead. */
const RUN_CLOCK_SKEW_MS = 5 * 60_000;

async function testSignal(
  ctx: ServiceContext,
  input: TestSignalInput,
  definitionFrom: (input: { definition?: unknown; template?: string }) => SignalDefinition,
): Promise<TestResult> {
  const sample = input.sample;
  if (!Number.isInteger(sample) || sample < 1 || sample > 100) throw new ServiceError('invalid', `sample must be 1 to 100, got ${JSON.stringify(sample)}`);
  const stored = input.ref !== undefined ? await loadSignal(ctx, input.ref) : undefined;
  const definition = stored !== undefined ? stored.definition : definitionFrom(input);
  let targets: Target[];
  let filtered = 0;
  if (input.targets !== undefined) targets = input.targets.slice(0, sample);
  else {
    const now = ctx.now();
    const until = input.until === undefined ? now + 1 : parseTime(input.until, 'until', now);
    const since = input.since === undefined ? 0 : parseTime(input.since, 'since', now);
    if (!(since < until)) throw new ServiceError('invalid', `since (${iso(since)}) must be before until (${iso(until)})`);
    // The most recent `sample` targets of the window that the signal's filter keeps, newest first: what the signal
    // would label next looks like them. Those outside the filter are counted, not judged; at most
    // TEST_EXAMINE_PER_TARGET times the sample are looked at.
    const window = { agent: definition.agent, since, until, limit: definition.filter === undefined ? sample : sample * TEST_EXAMINE_PER_TARGET, newest: true };
    const refs: Array<{ kind: TargetKind; id: string; agent: string; at: number }> = (await listTargets(ctx.store, definition.scope, window)).map((r) => ({ ...r, kind: definition.scope }));
    if (definition.scope === 'session') {
      // Traffic without a session id is judged per trace by session-scope signals, live and here alike.
      const lone = await listTargets(ctx.store, 'trace', { ...window, withoutSession: true });
      refs.push(...lone.map((r) => ({ ...r, kind: 'trace' as const })));
      refs.sort((a, b) => b.at - a.at || (a.agent < b.agent ? 1 : a.agent > b.agent ? -1 : a.id < b.id ? 1 : -1));
      refs.length = Math.min(refs.length, window.limit);
    }
    if (refs.length === 0) {
      const who = definition.agent === '*' ? 'any agent' : `agent "${definition.agent}"`;
      throw new ServiceError(
        'not_found',
        `No traffic for ${who} at ${definition.scope} scope between ${since === 0 ? 'the start' : iso(since)} and ${iso(Math.min(until, now))}: ` +
          'send OTLP traces to POST /v1/traces (or load exports with signals ingest FILE), or pick a longer window',
      );
    }
    targets = [];
    for (const ref of refs) {
      if (targets.length === sample) break;
      const loaded = await loadTarget(ctx, ref.kind, ref.id, ref.agent);
      if (loaded === undefined) continue;
      if (ctx.ports.matches(loaded.target, definition)) targets.push(loaded.target);
      else filtered++;
    }
    if (targets.length === 0) {
      throw new ServiceError(
        'not_found',
        `None of the ${filtered} most recent ${definition.scope}s of the window matches the filter of "${definition.name}" (${Object.keys(definition.filter ?? {}).join(', ')}): widen the filter or the window`,
      );
    }
  }
  const result: TestResult = { distribution: {}, rows: [], unreadable: 0 };
  if (filtered > 0) result.filtered = filtered;
  const cost = zeroCost();
  // One run of its own for the whole test (its run caps), booked on the ledger like every LLM call: the provider's
  // day cap, and a stored signal's own day caps.
  const judging = { llm: true, env: ctx.env, fetch: ctx.fetch, ledger: ctx.ledger, owners: { signal: stored?.row.id }, now: ctx.now };
  for (const target of targets) {
    if (!hasReadableMessage(target)) {
      result.unreadable++;
      continue;
    }
    const v = await ctx.ports.judge(target, definition, judging).catch((e: unknown) => {
      // A cap reached: nothing was sent for this target (or any after it); the row says which cap.
      if (!isBudgetExceeded(e)) throw e;
      return { status: 'error' as const, label: null, explanation: e.message, judge: 'llm' as const, cost: zeroCost() };
    });
    addCost(cost, v.cost);
    const key = v.status === 'labelled' && v.label !== null ? v.label : v.status;
    result.distribution[key] = (result.distribution[key] ?? 0) + 1;
    result.rows.push({ kind: target.kind, id: target.id, agent: target.agent, status: v.status, label: v.label, explanation: v.explanation, judge: v.judge, cost: v.cost });
  }
  return result;
}

/** One line per changed field: `sample_rate: 1 → 0.25`. */
export function diffDefinitions(a: SignalDefinition, b: SignalDefinition): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: string[] = [];
  for (const k of [...keys].sort()) {
    const x = JSON.stringify((a as Record<string, unknown>)[k]);
    const y = JSON.stringify((b as Record<string, unknown>)[k]);
    if (x !== y) out.push(`${k}: ${short(x)} → ${short(y)}`);
  }
  return out;
}

/** A changed value: strings (a prompt, a description) whole, so both sides of a change read in full; long structures cut. */
function short(json: string | undefined): string {
  if (json === undefined) return '(none)';
  if (json.startsWith('"')) return json;
  return json.length > 160 ? `${json.slice(0, 157)}...` : json;
}

function summaryOf(r: SignalRow, head: { labelled: number; recent: Record<string, number> }, held: CapHold | undefined): SignalSummary {
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    version: r.version,
    scope: r.scope,
    type: r.type,
    agent: r.agent,
    labelled: head.labelled,
    last24h: head.recent,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    ...(held === undefined ? {} : { heldByDayCap: held }),
  };
}

/** A run row as the API shows it. */
export function runSummary(r: RunRow): RunSummary {
  return {
    id: r.id,
    signalId: r.signalId,
    version: r.version,
    kind: r.kind,
    since: iso(r.since),
    until: iso(r.until),
    rate: r.rate,
    status: r.status,
    total: r.total,
    done: r.done,
    counts: r.counts as Record<string, number>,
    unreadable: r.unreadable,
    cost: { requests: r.requests, inputTokens: r.inputTokens, outputTokens: r.outputTokens, usd: r.usd },
    error: r.error,
    resumesAt: r.status === 'paused' && r.resumeAt !== null ? iso(r.resumeAt) : null,
    createdAt: iso(r.createdAt),
    finishedAt: r.finishedAt === null ? null : iso(r.finishedAt),
  };
}

/** A label row as the API shows it. */
export function labelRow(r: LabelRecord): LabelRow {
  return {
    id: r.id,
    signalId: r.signalId,
    version: r.version,
    targetKind: r.targetKind,
    agent: r.agent,
    targetId: r.targetId,
    revision: r.revision,
    status: r.status,
    value: r.value,
    explanation: r.explanation,
    judge: r.judge,
    reviewer: r.reviewer ?? null,
    cost: { requests: r.requests ?? 0, inputTokens: r.inputTokens ?? 0, outputTokens: r.outputTokens ?? 0, usd: r.usd ?? 0 },
    runId: r.runId,
    labelledAt: iso(r.labelledAt),
    at: iso(r.at),
    superseded: r.superseded,
  };
}

/**
 * One page of a list read newest first `limit + 1` rows at a time: the first `limit` rows as `view` shows them, and
 * when a row more was read, the cursor after the last row shown (its time `at` and id).
 */
function keysetPage<R extends { id: string }, T>(rows: R[], limit: number, at: (row: R) => number, view: (row: R) => T): Page<T> {
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { items: rows.slice(0, limit).map(view), nextCursor: last === undefined ? null : encodeCursor(at(last), last.id) };
}

function encodeCursor(at: number, id: string): string {
  return btoa(`${at}:${id}`).replace(/=+$/, '');
}

function decodeCursor(cursor: string): { at: number; id: string } {
  let text: string;
  try {
    text = atob(cursor);
  } catch {
    throw new ServiceError('invalid', `Malformed cursor "${cursor}" (pass nextCursor from the previous page)`);
  }
  const i = text.indexOf(':');
  const at = Number(text.slice(0, i));
  if (i < 0 || !Number.isFinite(at)) throw new ServiceError('invalid', `Malformed cursor "${cursor}" (pass nextCursor from the previous page)`);
  return { at, id: text.slice(i + 1) };
}
