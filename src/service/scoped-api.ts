import { ServiceError, type Page, type SignalsApi, type SignalSummary, type TrafficQuery } from './api.js';
import { callerOf } from './caller.js';
import type { AgentScope } from './scope.js';

/**
 * The API as a caller scoped to one agent sees it (a key the operator gave that agent): every read of traffic is
 * made for that agent (the agent filter goes down to the store's reads), signals are that agent's own (not another
 * agent's, not `*` ones: their counts span every agent) with their runs, and what is the operator's (signal changes,
 * tests and backfills that spend the LLM budget, alerts, providers, pending work) is refused with `forbidden`. Something of
 * another agent answers as if it did not exist. The HTTP routes, the dashboard and the MCP tools of a scoped key all
 * go through this.
 */
export function scopedApi(api: SignalsApi, scope: AgentScope): SignalsApi {
  const agent = scope.agent;
  const operatorOnly = (what: string) => (): never => {
    throw new ServiceError('forbidden', `${what} is the operator's: this key opens agent "${agent}" only`);
  };
  /** The signal behind `ref` when it is this agent's own; another's answers as a missing one does. */
  const own = async (ref: string): Promise<string> => {
    let signal: SignalSummary;
    try {
      signal = await api.getSignal(ref);
    } catch (err) {
      if (err instanceof ServiceError && err.code === 'not_found') throw new ServiceError('not_found', `No signal "${ref}" of agent "${agent}"`);
      throw err;
    }
    if (signal.agent !== agent) throw new ServiceError('not_found', `No signal "${ref}" of agent "${agent}"`);
    return signal.id;
  };
  /** The agent a read names, which must be this one (absent: this one). */
  const only = (asked: string | undefined): string => {
    if (asked !== undefined && asked !== '' && asked !== agent) throw new ServiceError('forbidden', `This key opens agent "${agent}" only, not "${asked}"`);
    return agent;
  };
  // Defence in depth: a page is this agent's rows whatever a store read let through.
  const mine = <T extends { agent: string }>(page: Page<T>): Page<T> => ({ ...page, items: page.items.filter((i) => i.agent === agent) });
  /**
   * The traffic filter of a read: this agent, and a signal filter naming a signal whose labels its targets can have
   * (its own or a `*` one); another agent's signal answers as a missing one (no oracle of other agents' signal names).
   */
  const traffic = async (query: TrafficQuery = {}): Promise<TrafficQuery> => {
    // Both filters name a signal: `signal` (units with its label) and `unlabelled` (units without one).
    for (const named of [query.signal, query.unlabelled]) {
      const ref = typeof named === 'string' && named !== '' ? named : undefined;
      if (ref === undefined) continue;
      const missing = new ServiceError('not_found', `No signal "${ref}" of agent "${agent}"`);
      const signal = await api.getSignal(ref).catch((err: unknown) => {
        throw err instanceof ServiceError && err.code === 'not_found' ? missing : err;
      });
      if (signal.agent !== agent && signal.agent !== '*') throw missing;
    }
    return { ...query, agent: only(query.agent) };
  };
  /** This agent's own signals (not `*` ones). */
  const ownSignals: SignalsApi['listSignals'] = async (options = {}) => (await api.listSignals({ ...options, agent })).filter((s) => s.agent === agent);

  return {
    listSignals: ownSignals,
    async getSignal(ref) {
      return api.getSignal(await own(ref));
    },
    createSignal: operatorOnly('Creating a signal'),
    editSignal: operatorOnly('Editing a signal'),
    setState: operatorOnly("Changing a signal's state"),
    async versions(ref) {
      return api.versions(await own(ref));
    },
    testSignal: operatorOnly('Testing a signal (it calls the LLM judge)'),
    learn: operatorOnly('Training a learned judge'),
    async review(ref, input) {
      const id = await own(ref);
      const given = (input ?? {}) as { agent?: string };
      return api.review(id, { ...input, agent: only(given.agent) });
    },
    async removeReview(ref, labelId) {
      return api.removeReview(await own(ref), labelId);
    },
    async reviewQueue(ref, query) {
      return mine(await api.reviewQueue(await own(ref), query));
    },
    async judges(ref) {
      return api.judges(await own(ref));
    },
    startRun: operatorOnly('A backfill run (it calls the LLM judge)'),
    async getRun(id) {
      const run = await api.getRun(id);
      // A run of another agent's signal answers as a missing one.
      await own(run.signalId).catch((err: unknown) => {
        throw err instanceof ServiceError && err.code === 'not_found' ? new ServiceError('not_found', `No run "${id}"`) : err;
      });
      return run;
    },
    async listRuns(ref, query = {}) {
      // Without a signal: the runs of this agent's own signals (those of `*` signals and of other agents' are the
      // operator's). The filter goes down to the store's read, so a cursor (a position in time, whoever's list it came
      // from) only says where to go on from.
      const mineOnly = { ...query, agent: only(query.agent) };
      const page = await api.listRuns(ref === undefined ? undefined : await own(ref), mineOnly);
      // Defence in depth, as for `mine`: a page is this agent's runs whatever a store read let through.
      const ids = new Set((await ownSignals({ includeArchived: true })).map((s) => s.id));
      return { ...page, items: page.items.filter((r) => ids.has(r.signalId)) };
    },
    cancelRun: operatorOnly('Backfill runs'),
    async labels(ref, query) {
      return mine(await api.labels(await own(ref), query));
    },
    async distribution(ref, query) {
      return api.distribution(await own(ref), query);
    },
    async target(kind, id, asked, page) {
      return api.target(kind, id, only(asked), page);
    },
    async agents() {
      return (await api.agents()).filter((a) => a.agent === agent);
    },
    providers: operatorOnly("The operator's LLM providers"),
    async traffic(query = {}) {
      const buckets = await api.traffic({ ...query, agent: only(query.agent) });
      return buckets.map((b) => ({ ...b, traces: agent in b.traces ? { [agent]: b.traces[agent] } : {} }));
    },
    async sessions(query) {
      return mine(await api.sessions(await traffic(query)));
    },
    async traces(query) {
      return mine(await api.traces(await traffic(query)));
    },
    async spans(kind, id, asked) {
      return (await api.spans(kind, id, only(asked))).filter((s) => s.agent === agent);
    },
    pending: operatorOnly('Pending work of every signal'),
    async whoami() {
      return callerOf(scope);
    },
    listAlerts: operatorOnly('Alerts'),
    createAlert: operatorOnly('Alerts'),
    editAlert: operatorOnly('Alerts'),
    setAlertPaused: operatorOnly('Alerts'),
    backtestAlert: operatorOnly('Alerts'),
    backtestRule: operatorOnly('Alerts'),
    alertHistory: operatorOnly('Alerts'),
  };
}
