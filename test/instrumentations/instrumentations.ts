/** Every instrumentation the harness runs: its runner (runners/NAME.cjs), extra environment and scenarios. */
export interface Instrumentation {
  name: string;
  runner: string;
  env?: Record<string, string>;
  scenarios: string[];
  /** The agent the session must be stored under (default: the service name, weather-agent). */
  agent?: string;
  /**
   * `agents-export`: the OpenAI Agents SDK's own exporter (JSON to its ingest endpoint, captured by the fake
   * server), read as `signals analyze` reads such files; default `otlp` to the service.
   */
  via?: 'otlp' | 'agents-export';
  /** The OTLP encodings the package can export (default both, JSON and protobuf). */
  encodings?: ReadonlyArray<'json' | 'protobuf'>;
}

const ALL = ['tool-returns', 'tool-throws', 'no-tool', 'streaming'];

export const INSTRUMENTATIONS: Instrumentation[] = [
  { name: 'openinference-openai', runner: 'openinference-openai', scenarios: ALL },
  { name: 'openinference-openai-responses', runner: 'openinference-openai', env: { RESPONSES: '1' }, scenarios: ALL },
  { name: 'ai-sdk-4', runner: 'ai-sdk', env: { AI_VERSION: '4' }, scenarios: ALL },
  { name: 'ai-sdk-5', runner: 'ai-sdk', env: { AI_VERSION: '5' }, scenarios: ALL },
  { name: 'ai-sdk-6', runner: 'ai-sdk', env: { AI_VERSION: '6' }, scenarios: ALL },
  { name: 'ai-sdk-6-vercel-otel', runner: 'ai-sdk', env: { AI_VERSION: '6', OTEL_SETUP: 'vercel' }, scenarios: ALL },
  { name: 'openinference-langchain', runner: 'openinference-langchain', scenarios: ALL },
  { name: 'openinference-openai-agents', runner: 'openai-agents', env: { OPENINFERENCE: '1' }, scenarios: ALL },
  { name: 'openai-agents-native', runner: 'openai-agents', via: 'agents-export', scenarios: ALL },
  { name: 'traceloop', runner: 'traceloop', env: { TRACELOOP_ENRICH_TOKENS: 'false', TRACELOOP_TELEMETRY: 'false' }, scenarios: ALL },
  { name: 'langfuse', runner: 'langfuse', scenarios: ALL },
  // Content as OTLP log records (/v1/logs), joined to the spans; capture turned on as the package asks.
  { name: 'otel-openai', runner: 'otel-openai', env: { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' }, scenarios: ALL },
  { name: 'otel-openai-responses', runner: 'otel-openai', env: { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true', RESPONSES: '1' }, scenarios: ALL },
  // OpenLIT exports with its own OTLP/HTTP JSON exporters (traces and logs); it has no protobuf option. Its Responses
  // API capture drops function calls, tool outputs and earlier answers from the messages it exports: chat only.
  { name: 'openlit', runner: 'openlit', encodings: ['json'], scenarios: ALL },
];
