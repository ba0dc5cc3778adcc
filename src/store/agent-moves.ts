import { and, eq, inArray } from 'drizzle-orm';
import type { CapturedSpan } from '../formats/captured-span.js';
import { resolveAgents, type AgentLink } from '../formats/traces/resolve-agents.js';
import { sessions, spans, traces } from './schema.js';
import { inList, listParts } from './json-list.js';
import { orphanMessageStatements } from './span-messages.js';
import { capturedOf, keyOf, rollupStatements, withMessages, type SpanRow, type StoredSpanRow } from './traffic.js';
import type { Store, StoreStatement } from './types.js';

/** Ancestor levels looked up in the store for a span whose export named no agent (agent spans sit a level or two up). */
const MAX_LEVELS = 16;

const spanKey = (traceId: string, spanId: string): string => `${traceId}/${spanId}`;

/** What resolving reads of a captured or stored span. */
function link(r: { traceId: string; spanId: string; parentSpanId: string; agent: string; agentFallback?: boolean }): AgentLink {
  return { traceId: r.traceId, spanId: r.spanId, parentSpanId: r.parentSpanId, agent: r.agent, ...(r.agentFallback === true ? { agentFallback: true } : {}) };
}

/**
 * The spans of an export with each fallback agent (no span above it in its export named one) resolved from its
 * ancestors among these spans and, level by level, among the stored spans of its trace (whatever agent they were
 * stored under): an LLM span arriving after the agent span that wraps it takes that agent.
 */
export async function withStoredAncestors(store: Store, input: CapturedSpan[]): Promise<CapturedSpan[]> {
  let resolved = resolveAgents(input);
  if (!resolved.some((s) => s.agentFallback === true)) return resolved;
  const known = new Map<string, AgentLink>(resolved.map((s) => [spanKey(s.traceId, s.spanId), s]));
  let wanted: AgentLink[] = resolved.filter((s) => s.agentFallback === true);
  for (let level = 0; level < MAX_LEVELS && wanted.length > 0; level++) {
    const parents = new Map<string, { traceId: string; spanId: string }>();
    for (const s of wanted) {
      const key = spanKey(s.traceId, s.parentSpanId);
      if (s.parentSpanId !== '' && !known.has(key)) parents.set(key, { traceId: s.traceId, spanId: s.parentSpanId });
    }
    if (parents.size === 0) break;
    const found: AgentLink[] = [];
    for (const part of listParts(store, [...new Set([...parents.values()].map((p) => p.spanId))])) {
      const rows = await store.db
        .select({ traceId: spans.traceId, spanId: spans.spanId, parentSpanId: spans.parentSpanId, agent: spans.agent, agentFallback: spans.agentFallback })
        .from(spans)
        .where(inList(store, spans.spanId, part));
      for (const r of rows) if (parents.has(spanKey(r.traceId, r.spanId)) && !known.has(spanKey(r.traceId, r.spanId))) found.push(link(r));
    }
    for (const f of found) known.set(spanKey(f.traceId, f.spanId), f);
    // Only fallback ancestors need their own parents looked up.
    wanted = found.filter((f) => f.agentFallback === true);
  }
  const agents = new Map(resolveAgents([...known.values()]).map((s) => [spanKey(s.traceId, s.spanId), s]));
  resolved = resolved.map((s) => {
    const agent = agents.get(spanKey(s.traceId, s.spanId));
    if (s.agentFallback !== true || agent === undefined || agent.agentFallback === true) return s;
    const { agentFallback: _, ...rest } = s;
    return { ...rest, agent: agent.agent };
  });
  return resolved;
}

/**
 * Stored spans whose fallback agent an incoming span now names (the agent span of their trace arrived after them):
 * `moved`, the spans as they are to be stored again under that agent (their messages read back), and `statements`,
 * for the batch that stores them, deleting them under their old agent and putting that agent's traces and sessions
 * right (recounted, or deleted with their orphaned messages when nothing is left in them). A span whose fallback
 * agent is already the named one only loses its fallback mark. Their old agent's labels stay (what was judged then).
 */
export async function movedToLateAgents(store: Store, input: CapturedSpan[], now: number): Promise<{ moved: CapturedSpan[]; statements: StoreStatement[] }> {
  const named = input.filter((s) => s.agentFallback !== true);
  const none = { moved: [], statements: [] };
  if (named.length === 0) return none;
  const stored: StoredSpanRow[] = [];
  for (const part of listParts(store, [...new Set(named.map((s) => s.traceId))])) {
    stored.push(...(await store.db.select().from(spans).where(and(inList(store, spans.traceId, part), eq(spans.agentFallback, true)))));
  }
  if (stored.length === 0) return none;
  const incoming = new Set(input.map((s) => keyOf(s.agent, spanKey(s.traceId, s.spanId))));
  const candidates = stored.filter((r) => !incoming.has(keyOf(r.agent, spanKey(r.traceId, r.spanId))));
  const agents = new Map(resolveAgents<AgentLink>([...named.map(link), ...candidates.map(link)]).map((s) => [spanKey(s.traceId, s.spanId), s]));
  const statements: StoreStatement[] = [];
  const leaving: StoredSpanRow[] = [];
  const newAgent = new Map<StoredSpanRow, string>();
  for (const r of candidates) {
    const resolved = agents.get(spanKey(r.traceId, r.spanId));
    if (resolved === undefined || resolved.agentFallback === true) continue;
    const where = and(eq(spans.agent, r.agent), eq(spans.traceId, r.traceId), eq(spans.spanId, r.spanId));
    if (resolved.agent === r.agent) statements.push(store.db.update(spans).set({ agentFallback: false }).where(where));
    else {
      leaving.push(r);
      newAgent.set(r, resolved.agent);
      statements.push(store.db.delete(spans).where(where));
    }
  }
  if (leaving.length === 0) return { moved: [], statements };
  const withContent = await withMessages(store, leaving);
  const moved = withContent.map((r, i): CapturedSpan => {
    // Stored under a fallback agent, moving to the one an ancestor names.
    const { agentFallback: _, ...span } = capturedOf(r);
    return { ...span, agent: newAgent.get(leaving[i])! };
  });
  statements.push(...(await leftBehind(store, leaving, now)));
  return { moved, statements };
}

/**
 * After `leaving` spans are deleted from their agent: each of that agent's traces they were in is recounted from the
 * spans it keeps, or deleted (with the messages no span refers to any more, and its session when it held the
 * session's last trace).
 */
async function leftBehind(store: Store, leaving: StoredSpanRow[], now: number): Promise<StoreStatement[]> {
  const statements: StoreStatement[] = [];
  const gone = new Set(leaving.map((r) => keyOf(r.agent, spanKey(r.traceId, r.spanId))));
  const byAgent = new Map<string, Set<string>>();
  for (const r of leaving) byAgent.set(r.agent, (byAgent.get(r.agent) ?? new Set()).add(r.traceId));
  for (const [agent, traceIds] of byAgent) {
    const ids = [...traceIds];
    const all = await store.db.select().from(spans).where(and(eq(spans.agent, agent), inArray(spans.traceId, ids)));
    const kept = all.filter((r) => !gone.has(keyOf(r.agent, spanKey(r.traceId, r.spanId))));
    const emptied = ids.filter((id) => !kept.some((r) => r.traceId === id));
    if (kept.length > 0) statements.push(...rollupStatements(store, kept.map((r) => ({ ...r, messages: [] }) as SpanRow), now));
    if (emptied.length === 0) continue;
    const sessionsOf = await store.db.select({ id: traces.id, sessionId: traces.sessionId }).from(traces).where(and(eq(traces.agent, agent), inArray(traces.id, emptied)));
    statements.push(store.db.delete(traces).where(and(eq(traces.agent, agent), inArray(traces.id, emptied))));
    const conversations = new Set(all.filter((r) => emptied.includes(r.traceId)).map((r) => r.conversation));
    statements.push(...(await orphanMessageStatements(store, agent, conversations, new Set(emptied))));
    for (const sessionId of new Set(sessionsOf.map((t) => t.sessionId).filter((s): s is string => s !== null))) {
      const others = await store.db
        .select({ id: traces.id })
        .from(traces)
        .where(and(eq(traces.agent, agent), eq(traces.sessionId, sessionId)));
      if (others.every((t) => emptied.includes(t.id))) statements.push(store.db.delete(sessions).where(and(eq(sessions.agent, agent), eq(sessions.id, sessionId))));
    }
  }
  return statements;
}
