import { and, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { appendAll } from '../formats/append-all.js';
import type { CapturedSpan } from '../formats/captured-span.js';
import { resolveAgents, type AgentLink } from '../formats/traces/resolve-agents.js';
import { agents, sessions, spans, traces } from './schema.js';
import { inList, listParts } from './json-list.js';
import { orphanMessageStatements } from './span-messages.js';
import { capturedOf, keyOf, sessionCount, traceCount, withMessages, type StoredSpanRow } from './traffic.js';
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
  const resolvedAgents = new Map(resolveAgents([...known.values()]).map((s) => [spanKey(s.traceId, s.spanId), s]));
  resolved = resolved.map((s) => {
    const agent = resolvedAgents.get(spanKey(s.traceId, s.spanId));
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
 * With `onlyAgent` (a caller scoped to that agent), only stored spans of that agent are looked at.
 */
export async function movedToLateAgents(store: Store, input: CapturedSpan[], onlyAgent?: string): Promise<{ moved: CapturedSpan[]; statements: StoreStatement[] }> {
  const named = input.filter((s) => s.agentFallback !== true);
  const none = { moved: [], statements: [] };
  if (named.length === 0) return none;
  const stored: StoredSpanRow[] = [];
  for (const part of listParts(store, [...new Set(named.map((s) => s.traceId))])) {
    appendAll(stored, await store.db.select().from(spans).where(and(inList(store, spans.traceId, part), eq(spans.agentFallback, true))));
  }
  if (stored.length === 0) return none;
  const incoming = new Set(input.map((s) => keyOf(s.agent, spanKey(s.traceId, s.spanId))));
  // A caller scoped to one agent (`onlyAgent`) never moves another agent's spans to its own.
  const candidates = stored.filter((r) => !incoming.has(keyOf(r.agent, spanKey(r.traceId, r.spanId))) && (onlyAgent === undefined || r.agent === onlyAgent));
  const resolvedAgents = new Map(resolveAgents<AgentLink>([...named.map(link), ...candidates.map(link)]).map((s) => [spanKey(s.traceId, s.spanId), s]));
  const statements: StoreStatement[] = [];
  const leaving: StoredSpanRow[] = [];
  const newAgent = new Map<StoredSpanRow, string>();
  for (const r of candidates) {
    const resolved = resolvedAgents.get(spanKey(r.traceId, r.spanId));
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
  statements.push(...(await leftBehind(store, leaving)));
  return { moved, statements };
}

/**
 * After `leaving` spans are deleted from their agent, that agent reads as if they had never been stored there: each
 * trace they were in is recounted from the spans it keeps (revision, time span, root) or deleted when they were all
 * it had (with the messages no span refers to any more); each session of those traces is recounted from the traces it
 * keeps or deleted when none is left; the agent leaves the agent list when it has no trace left, else its first and
 * last seen come from what it keeps. A trace or session that keeps something gets a new revision, so one labelled
 * with content that is gone is labelled again.
 */
async function leftBehind(store: Store, leaving: StoredSpanRow[]): Promise<StoreStatement[]> {
  const statements: StoreStatement[] = [];
  const gone = new Set(leaving.map((r) => keyOf(r.agent, spanKey(r.traceId, r.spanId))));
  const byAgent = new Map<string, StoredSpanRow[]>();
  for (const r of leaving) {
    const left = byAgent.get(r.agent);
    if (left === undefined) byAgent.set(r.agent, [r]);
    else left.push(r);
  }
  for (const [agent, left] of byAgent) {
    const ids = [...new Set(left.map((r) => r.traceId))];
    const all = await store.db.select().from(spans).where(and(eq(spans.agent, agent), inArray(spans.traceId, ids)));
    const kept = new Set(all.filter((r) => !gone.has(keyOf(r.agent, spanKey(r.traceId, r.spanId)))).map((r) => r.traceId));
    const emptied = ids.filter((id) => !kept.has(id));
    const keptIds = ids.filter((id) => kept.has(id));
    const sessionsOf = await store.db.select({ id: traces.id, sessionId: traces.sessionId }).from(traces).where(and(eq(traces.agent, agent), inArray(traces.id, ids)));
    if (keptIds.length > 0) {
      const these = and(eq(traces.agent, agent), inArray(traces.id, keptIds));
      const ofTrace = sql`${spans.agent} = ${traces.agent} and ${spans.traceId} = ${traces.id}`;
      const root = sql`${ofTrace} and ${spans.parentSpanId} = ''`;
      statements.push(
        store.db
          .update(traces)
          .set({
            // One past what it was, so never a revision it was labelled at before (a label is stored once per
            // revision): what it holds now plus what moves took out of it (see traces.movedOut).
            revision: sql`${traces.revision} + 1`,
            movedOut: sql`${traces.revision} + 1 - ${traceCount()}`,
            startMs: sql`(select min(${spans.startMs}) from ${spans} where ${ofTrace})`,
            endMs: sql`(select max(${spans.endMs}) from ${spans} where ${ofTrace})`,
            rootName: sql`(select ${spans.name} from ${spans} where ${root} limit 1)`,
            rootEnded: sql`exists (select 1 from ${spans} where ${root})`,
          })
          .where(these),
      );
    }
    if (emptied.length > 0) {
      statements.push(store.db.delete(traces).where(and(eq(traces.agent, agent), inArray(traces.id, emptied))));
      const emptiedIds = new Set(emptied);
      const conversations = new Set(all.filter((r) => emptiedIds.has(r.traceId)).map((r) => r.conversation));
      statements.push(...(await orphanMessageStatements(store, agent, conversations, emptiedIds)));
    }
    const sessionIds = [...new Set(sessionsOf.map((t) => t.sessionId).filter((s): s is string => s !== null))];
    if (sessionIds.length > 0) {
      // After the traces' statements: a session sums the revisions of the traces it keeps.
      const these = and(eq(sessions.agent, agent), inArray(sessions.id, sessionIds));
      const ofSession = sql`${traces.agent} = ${sessions.agent} and ${traces.sessionId} = ${sessions.id}`;
      statements.push(
        store.db.delete(sessions).where(and(these, sql`not exists (select 1 from ${traces} where ${ofSession})`)),
        store.db
          .update(sessions)
          .set({
            revision: sql`${sessions.revision} + 1`,
            movedOut: sql`${sessions.revision} + 1 - ${sessionCount()}`,
            startMs: sql`(select min(${traces.startMs}) from ${traces} where ${ofSession})`,
            endMs: sql`(select max(${traces.endMs}) from ${traces} where ${ofSession})`,
          })
          .where(these),
      );
    }
    const ofAgent = sql`${traces.agent} = ${agents.id}`;
    statements.push(store.db.delete(agents).where(and(eq(agents.id, agent), sql`not exists (select 1 from ${traces} where ${ofAgent})`)));
    // Only when a moved span set them: the earliest start has no index to read it from.
    const first = Math.min(...left.map((r) => r.startMs));
    const last = Math.max(...left.map((r) => r.endMs));
    statements.push(
      store.db.update(agents).set({ firstSeen: sql`(select min(${traces.startMs}) from ${traces} where ${ofAgent})` }).where(and(eq(agents.id, agent), gte(agents.firstSeen, first))),
      store.db.update(agents).set({ lastSeen: sql`(select max(${traces.endMs}) from ${traces} where ${ofAgent})` }).where(and(eq(agents.id, agent), lte(agents.lastSeen, last))),
    );
  }
  return statements;
}
