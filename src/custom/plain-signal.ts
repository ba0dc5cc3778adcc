/**
 * A signal from plain language: a name and a prompt are enough. The rest has the defaults a new user expects:
 * judged by the operator's LLM (the default provider unless one is named), yes/no unless labels are given,
 * session scope (traffic without a session id is judged per trace), every target labelled.
 */

/** The fields of a plain-language signal, as the CLI flags, `POST /v1/signals` and MCP `create_signal` take them. */
export interface PlainSignalInput {
  name: string;
  prompt: string;
  /** 2 to 10 labels (names, or `{name, description}`); absent: a yes/no signal. */
  labels?: Array<string | { name: string; description?: string }>;
  scope?: 'span' | 'trace' | 'session';
  agent?: string;
  description?: string;
  /** An operator provider (`GET /v1/providers`); default `default`. */
  provider?: string;
  /** A model other than the provider's. */
  model?: string;
  sample_rate?: number;
  filter?: Record<string, unknown>;
}

/** The keys of `PlainSignalInput` (a request carrying any of them, without `definition`, is a plain one). */
export const PLAIN_KEYS = ['name', 'prompt', 'labels', 'scope', 'agent', 'description', 'provider', 'model', 'sample_rate', 'filter'] as const;

/** The scope of a plain-language signal when none is given. */
export const PLAIN_DEFAULT_SCOPE = 'session';

/** Label options from names or `{name, description}` objects (anything else is left for the schema to refuse). */
export function labelOptions(labels: readonly unknown[]): unknown[] {
  return labels.map((l) => (typeof l === 'string' ? { name: l.trim() } : l));
}

/**
 * The definition (not yet validated: the schema reports every problem with its path) of a plain-language
 * signal. Fields left out are left out, so the schema's defaults apply (`agent: *`, `sample_rate: 1`).
 */
export function plainDefinition(input: Partial<PlainSignalInput> & Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: input.name,
    scope: input.scope ?? PLAIN_DEFAULT_SCOPE,
    type: Array.isArray(input.labels) ? 'labels' : 'binary',
    prompt: input.prompt,
    judge: 'llm',
  };
  if (Array.isArray(input.labels)) out.labels = labelOptions(input.labels);
  for (const key of ['agent', 'description', 'sample_rate', 'filter'] as const) if (input[key] !== undefined) out[key] = input[key];
  const llm = llmSection(input);
  if (llm !== undefined) out.llm = llm;
  return out;
}

/** `{provider, model}` when either is given. */
export function llmSection(input: { provider?: unknown; model?: unknown }): Record<string, unknown> | undefined {
  if (input.provider === undefined && input.model === undefined) return undefined;
  const out: Record<string, unknown> = {};
  if (input.provider !== undefined) out.provider = input.provider;
  if (input.model !== undefined) out.model = input.model;
  return out;
}
