import { labelNames, type SignalDefinition } from '../custom/definition.js';
import { agentMismatch } from '../custom/filter.js';
import { agentsWithTarget } from '../store/traffic.js';
import { reviewAgreement, type Agreement } from '../custom/learned/agreement.js';
import { labelStatements } from '../store/labels.js';
import { humanLabelById, humanLabels, newestHumanLabel, judgeCounts, machineLabelsOf, removeHumanLabel, reviewQueueRows, type ReviewCursor } from '../store/learning.js';
import { listVersions } from '../store/signals.js';
import { ServiceError, type LabelRow, type Page } from './api.js';
import type { ServiceContext } from './context.js';
import { loadSignal, loadTarget } from './loading.js';
import type { LabellingSignal } from './labeller.js';
import { labelRow } from './local-api.js';

/** A reviewer's label for one target (`POST /v1/signals/:ref/reviews`). */
export interface ReviewInput {
  /** The target's id; its kind is the signal's scope. */
  id: string;
  /** The target's agent (needed when several agents sent this id). */
  agent?: string;
  /** One of the version's labels (`yes`/`no` for a yes/no signal). */
  value: string;
  /** Who is labelling, as they name themselves (up to 100 characters). */
  reviewer: string;
  /** The signal version the reviewer judged by (default: the current one). */
  version?: number;
  /** Why, shown as the label's explanation (up to 500 characters). */
  note?: string;
}

/** Per signal version: who judged how many targets, the LLM's share and cost, and agreement with reviewers. */
export interface JudgeReport {
  signal: string;
  /** Targets with a human label (any version). */
  reviewed: number;
  reviewers: { name: string; n: number }[];
  /** What one LLM-judged target cost on average over every version (null: no priced LLM label yet). */
  llm_usd_per_target: number | null;
  versions: VersionJudging[];
}

/** One version's line of a {@link JudgeReport}. */
export interface VersionJudging {
  version: number;
  judge: SignalDefinition['judge'];
  /** Labelled verdicts per judge (`rules`, `llm`, `learned`, `human`). */
  counts: Record<string, number>;
  /** Share of machine-labelled targets the LLM judged (null: none labelled by a machine yet). */
  llm_share: number | null;
  /** `learned-then-llm`: the share the held-out training labels predicted when the threshold was chosen. */
  expected_llm_share: number | null;
  /**
   * US dollars saved per 1,000 targets against judging every one with the LLM: the share not sent to the LLM times
   * the measured cost of an LLM-judged target (null without a priced LLM label or a cheaper judge).
   */
  saved_usd_per_1000: number | null;
  /** This version's machine labels against reviewers' labels on the same targets. */
  agreement: Agreement;
}

const REVIEWER_MAX = 100;
const NOTE_MAX = 500;
const MAX_VERSIONS = 20;

function text(value: unknown, field: string, max: number, required: boolean): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) throw new ServiceError('invalid', `${field} is required (a string of at most ${max} characters)`);
    return undefined;
  }
  if (typeof value !== 'string') throw new ServiceError('invalid', `${field}: a string, got ${typeof value}`);
  // Control characters would forge lines in the CLI's tables and logs.
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
  if (clean === '' && required) throw new ServiceError('invalid', `${field} is required (a string of at most ${max} characters)`);
  if (clean.length > max) throw new ServiceError('invalid', `${field}: at most ${max} characters, got ${clean.length}`);
  return clean;
}

/**
 * Stores a reviewer's label (judge `human`) on a target for a signal version. It becomes the target's current label
 * and stays so whatever a machine judge labels later; every earlier label (machine or human) is kept as history.
 */
export async function reviewTarget(ctx: ServiceContext, ref: string, input: ReviewInput): Promise<LabelRow> {
  if (typeof input !== 'object' || input === null) throw new ServiceError('invalid', 'A review is {id, value, reviewer, agent?, version?, note?}');
  const given = input.version as unknown;
  if (given !== undefined && given !== null && typeof given !== 'number' && typeof given !== 'string') throw new ServiceError('invalid', `version: a version number, got ${JSON.stringify(given)}`);
  const version = given === undefined || given === null ? undefined : Number(given);
  if (version !== undefined && !(Number.isInteger(version) && version >= 1)) throw new ServiceError('invalid', `version: a version number, got ${JSON.stringify(input.version)}`);
  const signal = await loadSignal(ctx, ref, version);
  const id = text(input.id, 'id', 1000, true)!;
  const agent = text(input.agent, 'agent', 1000, false);
  const reviewer = text(input.reviewer, 'reviewer', REVIEWER_MAX, true)!;
  const note = text(input.note, 'note', NOTE_MAX, false);
  const allowed = labelNames(signal.definition);
  if (typeof input.value !== 'string' || !allowed.includes(input.value)) {
    throw new ServiceError('invalid', `value: one of ${allowed.join(', ')} (labels of ${signal.row.name} v${signal.version}), got ${JSON.stringify(input.value)}`);
  }
  const kind = signal.definition.scope;
  const owner = agent ?? (await ownAgentWith(ctx, signal, id));
  // A signal labels its own agents' traffic only: a review of another agent's target would put that agent's messages
  // in this signal's labels, queue and learned model.
  const outside = owner === undefined ? null : agentMismatch(owner, signal.definition);
  if (outside !== null) {
    throw new ServiceError('invalid', `${kind} "${id}" of agent "${owner}" is outside ${signal.row.name} (agent "${signal.definition.agent}"${signal.definition.filter?.agent ? `, filter.agent ${JSON.stringify(signal.definition.filter.agent)}` : ''}): a review labels only targets of the signal's agents`);
  }
  const loaded = owner === undefined ? undefined : await loadTarget(ctx, kind, id, owner);
  if (loaded === undefined) throw new ServiceError('not_found', `No ${kind} "${id}"${agent === undefined ? '' : ` of agent "${agent}"`} in the store`);
  const now = ctx.now();
  const row = {
    signalId: signal.row.id,
    version: signal.version,
    targetKind: kind,
    targetId: id,
    revision: loaded.target.meta.revision ?? '1',
    agent: loaded.target.agent,
    status: 'labelled' as const,
    value: input.value,
    explanation: note ?? `labelled by ${reviewer}`,
    judge: 'human' as const,
    reviewer,
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    usd: 0,
    runId: null,
    at: loaded.at,
    labelledAt: now,
  };
  await ctx.store.batch(await labelStatements(ctx.store, [row]));
  const stored = await newestHumanLabel(ctx.store, row);
  if (stored === undefined) throw new ServiceError('unavailable', 'The label was not stored; try again');
  return labelRow(stored);
}

/**
 * The agent of a target named by id only, among the agents the signal covers: the one that has it; a `conflict` when
 * several of them do; when none does, the first other agent that has it (refused by the caller), else undefined.
 */
async function ownAgentWith(ctx: ServiceContext, signal: LabellingSignal, id: string): Promise<string | undefined> {
  const kind = signal.definition.scope;
  const found = await agentsWithTarget(ctx.store, kind, id, 1000);
  const own = found.filter((a) => agentMismatch(a, signal.definition) === null);
  if (own.length > 1) throw new ServiceError('conflict', `Several agents of ${signal.row.name} have a ${kind} "${id}" (${own.join(', ')}): name one with agent`);
  return own[0] ?? found[0];
}

/** Removes a human label given by mistake (the Review view's undo): the target's label before it is current again. */
export async function removeReview(ctx: ServiceContext, ref: string, labelId: string): Promise<{ removed: string }> {
  const signal = await loadSignal(ctx, ref);
  const row = await humanLabelById(ctx.store, signal.row.id, labelId);
  if (row === undefined) throw new ServiceError('not_found', `No human label "${labelId}" of ${signal.row.name} (machine labels are never removed)`);
  await removeHumanLabel(ctx.store, row);
  return { removed: row.id };
}

/**
 * The targets left to review: current machine labels of the signal in a fixed pseudo-random order of their targets
 * (a hash of each target: the same for every reviewer and across relabels), `limit` (default 25, at most 200) at a
 * time; `cursor` is the previous page's `nextCursor`.
 */
export async function reviewQueue(ctx: ServiceContext, ref: string, query: { limit?: number; cursor?: string } = {}): Promise<Page<LabelRow>> {
  const signal = await loadSignal(ctx, ref);
  const limit = query.limit ?? 25;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new ServiceError('invalid', `limit must be 1 to 200, got ${limit}`);
  const rows = await reviewQueueRows(ctx.store, signal.row.id, limit + 1, query.cursor ? decodeQueueCursor(query.cursor) : undefined);
  const items = rows.slice(0, limit).map(labelRow);
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { items, nextCursor: last === undefined ? null : btoa(`${last.reviewKey}:${last.id}`).replace(/=+$/, '') };
}

/** The queue position a `nextCursor` names; a ServiceError for anything else. */
function decodeQueueCursor(cursor: string): ReviewCursor {
  let text = '';
  try {
    text = atob(cursor);
  } catch {
    // reported below
  }
  const match = /^(\d{1,10}):(.+)$/s.exec(text);
  if (match === null) throw new ServiceError('invalid', 'cursor: not a cursor from a previous page (pass nextCursor back as it came)');
  return { reviewKey: Number(match[1]), id: match[2] };
}

/** The signal's {@link JudgeReport}: its last 20 versions, newest first. */
export async function judgeReport(ctx: ServiceContext, ref: string): Promise<JudgeReport> {
  const signal = await loadSignal(ctx, ref);
  const versions = (await listVersions(ctx.store, signal.row.id)).sort((a, b) => b.version - a.version).slice(0, MAX_VERSIONS);
  const humans = await humanLabels(ctx.store, signal.row.id);
  const machines = await machineLabelsOf(ctx.store, signal.row.id, signal.row.scope, humans);
  // Newest machine label of each version per target (machines come newest first).
  const machineOf = new Map<string, { value: string; judge: string }>();
  for (const m of machines) {
    const key = `${m.version}\0${m.agent}\0${m.targetId}`;
    if (!machineOf.has(key)) machineOf.set(key, { value: m.value, judge: m.judge });
  }
  const reviewers = new Map<string, number>();
  for (const h of humans) reviewers.set(h.reviewer ?? '', (reviewers.get(h.reviewer ?? '') ?? 0) + 1);
  const counted = await Promise.all(versions.map((v) => judgeCounts(ctx.store, signal.row.id, v.version)));
  let llmN = 0;
  let llmUsd = 0;
  for (const c of counted) for (const r of c) if (r.judge === 'llm') (llmN += r.n), (llmUsd += r.usd);
  const perTarget = llmN > 0 && llmUsd > 0 ? llmUsd / llmN : null;
  return {
    signal: signal.row.name,
    reviewed: humans.length,
    reviewers: [...reviewers].map(([name, n]) => ({ name, n })).sort((a, b) => b.n - a.n),
    llm_usd_per_target: perTarget,
    versions: versions.map((v, i) => {
      const definition = v.definition as SignalDefinition;
      const counts: Record<string, number> = {};
      for (const r of counted[i]) counts[r.judge] = r.n;
      const machine = (counts.rules ?? 0) + (counts.llm ?? 0) + (counts.learned ?? 0);
      const share = machine === 0 ? null : (counts.llm ?? 0) / machine;
      const pairs = humans.flatMap((h) => {
        const m = machineOf.get(`${v.version}\0${h.agent}\0${h.targetId}`);
        return m ? [{ human: h.value, machine: m.value, judge: m.judge }] : [];
      });
      return {
        version: v.version,
        judge: definition.judge,
        counts,
        llm_share: share,
        expected_llm_share: definition.judge === 'learned-then-llm' ? (definition.learned?.cascade?.llm_share ?? null) : null,
        saved_usd_per_1000: perTarget === null || share === null || share === 1 ? null : (1 - share) * 1000 * perTarget,
        agreement: reviewAgreement(pairs, labelNames(definition)),
      };
    }),
  };
}
