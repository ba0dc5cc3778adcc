import type { SignalDefinition } from '../custom/definition.js';
import { filterMismatch } from '../custom/filter.js';
import { judge } from '../custom/judge.js';
import { TEMPLATES, templateById } from '../custom/templates/index.js';
import { readSpans } from '../formats/traces/read-spans.js';
import type { Target, Verdict } from '../custom/types.js';
import type { CapturedSpan } from '../formats/captured-span.js';
import type { Providers } from '../custom/llm/providers.js';
import type { UsageLedger } from '../custom/llm/budget.js';

/** How a judge call may reach an LLM: absent for inline (rules-only) judging during ingest. */
export interface JudgeContext {
  /** The service's environment (`SIGNALS_OUTBOUND_ALLOW`; the default provider when the ports were built without providers). */
  env?: Record<string, string | undefined>;
  /** Set when the judge may call the LLM (background work); inline ingest judging never does. */
  llm: boolean;
  fetch?: typeof fetch;
  signalVersion?: number;
  /** Where LLM spend is booked against the caps, and whose it is (the signal; the backfill run, null for a live job). */
  ledger?: UsageLedger;
  owners?: { signal?: string; run?: string | null };
  /** The service's clock (the UTC day of the day caps). */
  now?: () => number;
  /** Awaited before each LLM request (see `LlmJudgeContext.beforeRequest`): background work checks its claim there. */
  beforeRequest?: () => Promise<void>;
}

/**
 * The pieces the service uses from the formats and custom-signals modules, gathered so they can be swapped in
 * one place: reading spans from an OTLP export, judging, filters and templates.
 */
export interface ServicePorts {
  /** Spans of an OTLP/JSON export (throws a located error on a malformed one). */
  readSpans(exportBody: unknown): CapturedSpan[];
  /** One verdict; must not call an LLM when `context.llm` is false. */
  judge(target: Target, definition: SignalDefinition, context: JudgeContext): Promise<Verdict>;
  /** True when the signal's filter keeps this target. */
  matches(target: Target, definition: SignalDefinition): boolean;
  /** A template's definition (unvalidated input) by id, or undefined. */
  template(id: string): unknown;
  /** Template ids, for error messages. */
  templateIds(): string[];
}

/**
 * The real ports from src/custom and src/formats; `overrides` replace single pieces (tests, embedders). `providers`
 * are the operator's LLM providers the judge calls (absent: the default one of the judge context's `env`).
 */
export function defaultPorts(overrides: Partial<ServicePorts> = {}, providers?: Providers): ServicePorts {
  return {
    readSpans: (body) => readSpans(body).spans,
    judge: (target, definition, context) =>
      judge(target, definition, {
        env: context.env ?? {},
        providers,
        fetch: context.fetch,
        signalVersion: context.signalVersion,
        ledger: context.ledger,
        owners: context.owners,
        now: context.now,
        beforeRequest: context.beforeRequest,
      }),
    matches: (target, definition) => filterMismatch(target, definition) === null,
    template: (id) => templateById(id)?.definition,
    templateIds: () => TEMPLATES.map((t) => t.id),
    ...overrides,
  };
}
