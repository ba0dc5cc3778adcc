import type { JsonObject } from './json-value.js';

/** The three units a signal can label: one LLM call, one turn/request, one whole conversation. */
export type TargetKind = 'span' | 'trace' | 'session';

/** The instrumentation convention a span's messages were read with. */
export type SpanConvention =
  | 'genai-semconv'
  | 'genai-events'
  /** GenAI events sent as OTLP log records (`POST /v1/logs`), joined to the span by trace and span id. */
  | 'otlp-logs'
  | 'openllmetry'
  | 'openinference'
  | 'vercel-ai'
  | 'langfuse'
  | 'openai-agents'
  | 'none';

/**
 * One span read from a trace, whatever instrumentation wrote it: who it belongs to, when it ran and the
 * messages it carries, as OpenAI chat messages (a tool span carries an assistant tool call and its tool result).
 * This is what the store keeps per span and what conversations are assembled from.
 */
export interface CapturedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /**
   * `gen_ai.agent.id`, else `gen_ai.agent.name` (or an OpenInference AGENT span's, a Langfuse agent observation's) of
   * the span or its nearest ancestor, else resource `service.name`, else `"unknown"`.
   */
  agent: string;
  /**
   * True when `agent` is the fallback (`service.name`) because neither the span nor an ancestor read with it names
   * one: an ancestor exported later, in another export, may still name the agent (./traces/resolve-agents.ts).
   */
  agentFallback?: boolean;
  /**
   * The resource's `service.name` (`"unknown"` without one) of the OTLP export the span came in; absent for formats
   * without resources. GenAI log records join only spans of their own service (./traces/log-records.ts).
   */
  service?: string;
  /** `session.id`, `gen_ai.conversation.id`, `langfuse.session.id`, Agents SDK `group_id`; `null` when none. */
  sessionId: string | null;
  convention: SpanConvention;
  /** `llm`: one model call (input then output messages); `tool`: one tool run (a call and its result); `other`: no messages. */
  kind: 'llm' | 'tool' | 'other';
  /** Unix nanoseconds as decimal strings (OTLP's fixed64 does not fit a double). */
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  /** `gen_ai.request.model` / `gen_ai.response.model` / `llm.model_name` / `ai.model.id`, when present. */
  model: string | null;
  /** Input then output messages, OpenAI chat shape; empty for a span with no conversation content. */
  messages: JsonObject[];
  /** True when the span has GenAI attributes (`gen_ai.*`, `llm.*`, `ai.*`, `openinference.*`) but no readable messages. */
  unreadable: boolean;
}
