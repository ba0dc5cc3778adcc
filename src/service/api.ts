import type { Message, SignalReport } from '../core/types.js';
import type { SignalDefinition } from '../custom/definition.js';
import type { JudgeCost, Target, TargetKind } from '../custom/types.js';
import type { LearnInput, LearnReport } from './learn.js';
import type { JudgeReport, ReviewInput } from './review.js';

export type { LearnInput, LearnReport } from './learn.js';
export type { JudgeReport, ReviewInput, VersionJudging } from './review.js';
import type { ProviderInfo } from '../custom/llm/providers.js';
import type { PlainSignalInput } from '../custom/plain-signal.js';
import type { Caller } from './caller.js';

export type { Action, Caller } from './caller.js';

export type { ProviderInfo };

/**
 * The one API of the signals service. The HTTP routes, the dashboard, the CLI (local store or `--url`) and the
 * MCP tools all speak it: `createLocalApi(store, …)` implements it over a store, `createHttpApi(url, token)` over
 * the HTTP service, so every front end behaves the same whichever side it talks to.
 * Refs (`ref`) are a signal's id or its name. Times are ISO 8601 strings. Failures throw `ServiceError`.
 */
export interface SignalsApi {
  listSignals(options?: { includeArchived?: boolean; agent?: string }): Promise<SignalSummary[]>;
  getSignal(ref: string): Promise<SignalDetail>;
  /** Validates the definition (or a template, or the plain fields) and saves version 1, `draft` unless asked. */
  createSignal(input: CreateSignalInput): Promise<SignalDetail>;
  /** A new version with the changed fields (`null` removes one); `scope` cannot change. `changes` lists what differs, one line each. */
  editSignal(ref: string, patch: Partial<SignalDefinition>): Promise<{ signal: SignalDetail; changes: string[] }>;
  setState(ref: string, state: SignalState): Promise<SignalDetail>;
  versions(ref: string): Promise<SignalVersion[]>;
  /**
   * Classifies the most recent `sample` (1 to 100) targets of the window (default: all stored traffic), newest first,
   * and writes nothing. An empty window is a `not_found` error saying which agent and window, and how to send traffic.
   */
  testSignal(input: TestSignalInput): Promise<TestResult>;
  /**
   * Trains the signal's learned judge from its LLM labels (or `labelled` targets), prints-ready agreement on a
   * held-out part and the cascade threshold; with `apply`, saves the model as a new version.
   */
  learn(ref: string, input: LearnInput): Promise<LearnReport>;
  /**
   * A reviewer's label (judge `human`, with who and when) on a target for a signal version (default the current):
   * the target's current label from then on, whatever a machine judge says later; earlier labels are kept.
   */
  review(ref: string, input: ReviewInput): Promise<LabelRow>;
  /** Removes a human label given by mistake (undo); the target's label before it is current again. */
  removeReview(ref: string, labelId: string): Promise<{ removed: string }>;
  /** Targets left to review (current machine labels) in a fixed pseudo-random order, paged (default 25, at most 200). */
  reviewQueue(ref: string, query?: { limit?: number; cursor?: string }): Promise<Page<LabelRow>>;
  /** Per version: labels per judge, the LLM's share, the cost saved per 1,000 targets, agreement with reviewers. */
  judges(ref: string): Promise<JudgeReport>;

  startRun(ref: string, input: { since: string; until: string; rate?: number }): Promise<RunSummary>;
  getRun(id: string): Promise<RunSummary>;
  /**
   * Runs (of the signal `ref`, or every one), newest first by start, one page at a time (default 50, at most 200): pass
   * `nextCursor` back as `cursor` for the next; a run started meanwhile does not shift the pages after the first.
   */
  listRuns(ref?: string, query?: RunQuery): Promise<Page<RunSummary>>;
  cancelRun(id: string): Promise<RunSummary>;

  labels(ref: string, query?: LabelQuery): Promise<Page<LabelRow>>;
  distribution(ref: string, query?: { bucket?: string; since?: string; until?: string }): Promise<DistributionBucket[]>;
  /**
   * One stored target. Targets are identified within their agent: without `agent`, an id that one agent has answers
   * it and an id several agents have is a `conflict` asking for the agent.
   */
  /**
   * One target with its labels and built-in report (over the whole conversation) and one page of its messages: the
   * last `limit` (default 200, at most 1,000) before message index `before` (default: the end).
   */
  target(kind: TargetKind, id: string, agent?: string, page?: MessagePageQuery): Promise<TargetView>;
  agents(): Promise<AgentSummary[]>;
  /** The operator's LLM providers a signal may name (`llm.provider`): never a key or key variable. */
  providers(): Promise<ProviderInfo[]>;
  /** Traces per agent per bucket (by trace end; default the last 24 h in 1 h buckets), for the traffic chart. */
  traffic(query?: { agent?: string; bucket?: string; since?: string; until?: string }): Promise<TrafficBucket[]>;

  /** Sessions newest first (by end), filtered and paged: the traffic explorer. */
  sessions(query?: TrafficQuery): Promise<Page<TrafficItem>>;
  /** Traces newest first (by end), filtered and paged. */
  traces(query?: TrafficQuery): Promise<Page<TrafficItem>>;
  /** The spans of a trace or a session in start order (the session timeline), each with its labels. */
  spans(kind: 'trace' | 'session', id: string, agent?: string): Promise<SpanView[]>;
  /** Work not done yet: traces and sessions waiting to settle per signal (and when the next settle), LLM jobs. */
  pending(): Promise<PendingWork>;
  /** Who the caller is and what it may do: the operator (everything) or a key scoped to one agent (reads and reviews). */
  whoami(): Promise<Caller>;

  /** Alerts (refs below are an alert's id or its name). */
  listAlerts(signalRef?: string): Promise<AlertSummary[]>;
  createAlert(input: unknown): Promise<AlertSummary>;
  /** Changes the given rule fields (`null` resets one to its default); the rule is validated again. `changes` lists what differs. */
  editAlert(ref: string, patch: Record<string, unknown>): Promise<{ alert: AlertSummary; changes: string[] }>;
  /** Pauses or resumes an alert (by id or name); both are recorded in its history. */
  setAlertPaused(ref: string, paused: boolean): Promise<AlertSummary>;
  /**
   * Replays a stored alert over its signal's stored labels in `window` (ISO times or durations ago): transitions and
   * notifications a part at a time (exact totals, `nextCursor` for the next part), series, SVG `chart`.
   */
  backtestAlert(id: string, window: BacktestWindow): Promise<unknown>;
  /** The same replay for an unsaved rule (the `createAlert` input); nothing is stored. */
  backtestRule(rule: unknown, window: BacktestWindow): Promise<unknown>;
  /** Recorded transitions and deliveries (status, attempts, next try, last reason), newest first. */
  alertHistory(id: string): Promise<AlertHistoryEntry[]>;
}

/**
 * The window of a backtest, and which part of its transitions and notifications to list: those after `cursor` (the
 * previous answer's `nextCursor`, asked with the same window: give the answer's `since` and `until`, as a duration ago
 * moves), at most `limit` of each (1 to 1,000, default 1,000).
 */
export interface BacktestWindow {
  since: string;
  until: string;
  cursor?: string;
  limit?: number;
}

/** Lifecycle of a signal: saved, labelling new traffic, paused (labels kept), stopped and hidden (labels kept). */
export type SignalState = 'draft' | 'active' | 'disabled' | 'archived';

/**
 * A new signal: a full `definition`, a `template` (with `overrides`, or the plain fields overriding it), or just
 * the plain fields (`{name, prompt, labels?, scope?, agent?, provider?, model?, sample_rate?}`: LLM-judged, yes/no
 * without labels, session scope by default).
 */
export interface CreateSignalInput extends Partial<PlainSignalInput> {
  definition?: SignalDefinition;
  /** A template id (`nsfw`, `jailbreak`, `refusal`, `frustration`, `sentiment`, `task-outcome`). */
  template?: string;
  /** Overrides applied to the template (e.g. `agent`, `name`, `sample_rate`). */
  overrides?: Partial<SignalDefinition>;
  state?: 'draft' | 'active';
}

export interface SignalSummary {
  id: string;
  name: string;
  state: SignalState;
  version: number;
  scope: TargetKind;
  type: 'binary' | 'labels';
  agent: string;
  /** Targets labelled by any version, all time. */
  labelled: number;
  /** Labels per value over the last 24 hours. */
  last24h: Record<string, number>;
  createdAt: string;
  updatedAt: string;
  /** Set while the signal's own day cap (`llm.max_requests_per_day` / `llm.max_usd_per_day`) holds its LLM work. */
  heldByDayCap?: CapHold;
}

/**
 * A day cap holding LLM work until the next UTC day: which limit, what was used of it and the sentence saying so
 * (`daily LLM budget reached: 40 requests used of 40 requests`); `until` in Unix ms.
 */
export interface CapHold {
  reason: string;
  until: number;
  limit: 'requests' | 'usd';
  used: number;
  cap: number;
}

export interface SignalDetail extends SignalSummary {
  definition: SignalDefinition;
}

export interface SignalVersion {
  signalId: string;
  version: number;
  definition: SignalDefinition;
  createdAt: string;
}

export interface TestSignalInput {
  /** A stored signal, or an unsaved definition, or a template id. */
  ref?: string;
  definition?: SignalDefinition;
  template?: string;
  /** 1 to 100. */
  sample: number;
  since?: string;
  until?: string;
  /** Targets given directly (from files); otherwise they come from the store. */
  targets?: Target[];
}

export interface TestRow {
  kind: TargetKind;
  id: string;
  agent: string;
  status: 'labelled' | 'undecided' | 'error';
  label: string | null;
  explanation: string;
  judge: 'rules' | 'llm' | 'learned';
  cost: JudgeCost;
}

export interface TestResult {
  distribution: Record<string, number>;
  rows: TestRow[];
  /** Targets with no readable message: not judged (no row). */
  unreadable: number;
  /** Stored targets of the window the signal's filter leaves out (looked at, not judged); absent when none. */
  filtered?: number;
}

export type RunStatus = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';

export interface RunSummary {
  id: string;
  signalId: string;
  version: number;
  kind: 'backfill' | 'manual';
  since: string;
  until: string;
  rate: number;
  status: RunStatus;
  total: number;
  done: number;
  /** Labels by value (plus `undecided` / `error`). */
  counts: Record<string, number>;
  /** Targets with no readable message: counted, never labelled. */
  unreadable: number;
  cost: JudgeCost;
  error: string | null;
  /**
   * A run a day cap paused goes on by itself at this time (the end of the cap's UTC day, ISO 8601); null otherwise
   * (a run cap waits for a new run).
   */
  resumesAt: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** A page of runs: `agent` keeps the runs of that agent's own signals (not of `*` signals). */
export interface RunQuery {
  agent?: string;
  cursor?: string;
  /** Default 50, at most 200. */
  limit?: number;
}

export interface LabelQuery {
  value?: string;
  since?: string;
  until?: string;
  cursor?: string;
  /** Default 50, at most 500. */
  limit?: number;
}

export interface LabelRow {
  id: string;
  signalId: string;
  version: number;
  targetKind: TargetKind;
  /** The target's agent: a target is (kind, agent, targetId). */
  agent: string;
  targetId: string;
  revision: string;
  status: 'labelled' | 'undecided' | 'error';
  value: string | null;
  explanation: string;
  judge: 'rules' | 'llm' | 'learned' | 'human';
  /** Who gave a human label (as they named themselves); null for a machine's. */
  reviewer: string | null;
  cost: JudgeCost;
  /** `null` for live labelling. */
  runId: string | null;
  labelledAt: string;
  /** The target's traffic time (its end): what windows, distributions and alerts read. */
  at: string;
  /** True when a later label of the same target (new revision or version) replaced this one. */
  superseded: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface DistributionBucket {
  start: string;
  counts: Record<string, number>;
}

/** Which messages of a target to return: the last `limit` before index `before`. */
export interface MessagePageQuery {
  limit?: number;
  before?: number;
}

export interface TargetView {
  kind: TargetKind;
  id: string;
  agent: string;
  meta: Record<string, unknown>;
  /** One page of the conversation: messages `messageOffset` to `messageOffset + messages.length - 1`. */
  messages: Message[];
  /** How many messages the whole conversation has. */
  messageCount: number;
  /** Index (in the whole conversation) of the first message of this page; 0 when it starts at the beginning. */
  messageOffset: number;
  report: SignalReport;
  labels: LabelRow[];
}

export interface AgentSummary {
  agent: string;
  sessions: number;
  traces: number;
  spans: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

/** One time bucket of traffic: traces per agent that ended in it. */
export interface TrafficBucket {
  start: string;
  traces: Record<string, number>;
}

export interface AlertSummary {
  id: string;
  signalId: string;
  name: string;
  state: 'ok' | 'pending' | 'firing' | 'paused';
  rule: unknown;
  createdAt: string;
  /** When the stored state was entered, the last evaluation and its value (`null` = never, or no data). */
  stateSince: string | null;
  lastEvaluatedAt: string | null;
  lastValue: number | null;
}

/**
 * One line of an alert's history: a state change, or a notification's delivery to one channel with its attempts
 * so far (`pending` with the time of the next one, `sent`, or `failed` for good), the last reason a fixed one.
 */
export type AlertHistoryEntry =
  | { type: 'transition'; at: string; from: AlertSummary['state']; to: AlertSummary['state']; value: number | null; reason: string }
  | {
      type: 'delivery';
      /** The notification's time. */
      at: string;
      channel: string;
      channelType: string | null;
      kind: 'firing' | 'resolved' | null;
      status: 'pending' | 'sent' | 'failed';
      attempts: number;
      httpStatus: number | null;
      /** Why the last attempt failed (`HTTP 500`, `timed out after 10000 ms`), never a response body. */
      error: string | null;
      lastAttemptAt: string | null;
      /** When a pending delivery is tried next. */
      nextAttemptAt: string | null;
    };

/** A failure any front end can show as it is: HTTP maps `code` to a status, the CLI prints `message`, MCP returns a tool error. */
export class ServiceError extends Error {
  constructor(
    /** `forbidden`: the caller's key (scoped to one agent) does not open this. */
    readonly code: 'not_found' | 'invalid' | 'conflict' | 'unavailable' | 'forbidden',
    message: string,
    readonly details?: string[],
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/**
 * Filters of `sessions` / `traces` (query parameters of `GET /v1/sessions` and `GET /v1/traces`). Times are ISO
 * 8601 or durations ago (`24h`); `builtin` is a built-in signal type glob (`execution.failure.*`); `signal` with
 * `value` keeps units with that label (a trace or span label counts for the session it is in, a session label
 * for its traces); `unlabelled` keeps units without a labelled verdict of that signal; `q` is text in the messages.
 */
export interface TrafficQuery {
  agent?: string;
  /** This trace or session only (its id as the instrumentation sent it; with `agent` when several agents use it). */
  id?: string;
  /** Traces of this session only (`traces`; give `agent` too when the id is used by several agents). */
  session?: string;
  since?: string;
  until?: string;
  quality?: string;
  builtin?: string;
  signal?: string;
  value?: string;
  unlabelled?: string;
  q?: string;
  /** Default 50, at most 200. */
  limit?: number;
  cursor?: string;
}

/** One trace or session of the explorer. Counts are live; the built-in summary is as of the last settle. */
export interface TrafficItem {
  kind: 'trace' | 'session';
  id: string;
  agent: string;
  /** The trace's session (traces only). */
  sessionId: string | null;
  start: string;
  end: string;
  traces: number;
  spans: number;
  llmCalls: number;
  /** Tool calls the model made (in the settled conversation; tool spans until the unit settles). */
  toolCalls: number;
  /** User turns, built-in quality bucket and score: `null` until the unit settled once. */
  turns: number | null;
  quality: string | null;
  score: number | null;
  /** Built-in signal families present (`interaction.disengagement`, …) and the count per signal type. */
  builtin: string[];
  signalTypes: Record<string, number>;
  /** Current custom labels on this unit. */
  labels: TrafficLabel[];
  /** False while spans arrived after the last settle (the summary and the labels of this scope may change). */
  settled: boolean;
}

/** A custom label as the explorer shows it. */
export interface TrafficLabel {
  signal: string;
  signalId: string;
  value: string | null;
  status: 'labelled' | 'undecided' | 'error';
  version: number;
}

/** One span of a trace or session timeline. */
export interface SpanView {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  agent: string;
  name: string;
  kind: 'llm' | 'tool' | 'other';
  model: string | null;
  start: string;
  end: string;
  durationMs: number;
  messages: number;
  /** Tool spans: the tool's name and `ok` or `error` (its result carries a built-in failure or exhaustion signal). */
  tool: { name: string; status: 'ok' | 'error'; signal: string | null } | null;
  labels: TrafficLabel[];
}

/** Pending work, for the "what is the service waiting for" line. */
export interface PendingWork {
  /** Per active trace- or session-scope signal: units waiting to settle and when the next are due. */
  settle: {
    signal: string;
    signalId: string;
    scope: 'trace' | 'session';
    agent: string;
    waiting: number;
    /** How a unit settles: `10 s after the root span ends` / `30 min idle`. */
    rule: string;
    /** The earliest time a waiting unit is due (null when none waits). */
    nextAt: string | null;
  }[];
  /** Units waiting to settle per kind, over all agents. */
  waiting: { traces: number; sessions: number };
  llm: { queued: number; running: number; failed: number; recentFailures: { signalId: string; targetKind: string; targetId: string; error: string | null; at: string }[] };
  /** Alert notifications stored and not sent yet (a growing backlog: a receiver down), and those given up on. */
  notifications: { pending: number; failed: number; oldestDueAt: string | null };
}
