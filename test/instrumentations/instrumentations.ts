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
];
