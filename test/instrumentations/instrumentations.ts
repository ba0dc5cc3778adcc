/** Every instrumentation the harness runs: its runner (runners/NAME.cjs), extra environment and scenarios. */
export interface Instrumentation {
  name: string;
  runner: string;
  env?: Record<string, string>;
  scenarios: string[];
  /** The agent the session must be stored under (default: the service name, weather-agent). */
  agent?: string;
}

const ALL = ['tool-returns', 'tool-throws', 'no-tool', 'streaming'];

export const INSTRUMENTATIONS: Instrumentation[] = [
  { name: 'openinference-openai', runner: 'openinference-openai', scenarios: ALL },
  { name: 'openinference-openai-responses', runner: 'openinference-openai', env: { RESPONSES: '1' }, scenarios: ALL },
  { name: 'ai-sdk-4', runner: 'ai-sdk', env: { AI_VERSION: '4' }, scenarios: ALL },
  { name: 'ai-sdk-5', runner: 'ai-sdk', env: { AI_VERSION: '5' }, scenarios: ALL },
  { name: 'ai-sdk-6', runner: 'ai-sdk', env: { AI_VERSION: '6' }, scenarios: ALL },
  { name: 'ai-sdk-6-vercel-otel', runner: 'ai-sdk', env: { AI_VERSION: '6', OTEL_SETUP: 'vercel' }, scenarios: ALL },
  // Token enrichment downloads tokenizer files (no network here); telemetry off for the same reason.
  { name: 'traceloop', runner: 'traceloop', env: { TRACELOOP_ENRICH_TOKENS: 'false', TRACELOOP_TELEMETRY: 'false' }, scenarios: ALL },
  { name: 'langfuse', runner: 'langfuse', scenarios: ALL },
];
