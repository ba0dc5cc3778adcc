import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { alertRuleSchema } from '../alerts/rule.js';
import { signalDefinitionSchema, type SignalDefinition, type SignalDefinitionInput } from './definition.js';
import { DEFAULT_PROVIDER, legacyMoveHint, OPENAI_BASE_URL, providersConfigSchema } from './llm/providers.js';

/**
 * `signals.config.yaml|json`: the operator's LLM providers, signal definitions, plus alerts (each checked with the alerts module's rule schema,
 * names unique, and kept as written: the service applies the defaults when it creates them).
 */
export const signalsConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    /** Named LLM providers (the key as the name of an environment variable); `default` comes from `SIGNALS_LLM_*`. */
    providers: providersConfigSchema.default({}),
    signals: z.array(signalDefinitionSchema).default([]),
    alerts: z.array(z.record(z.string(), z.unknown())).default([]),
  })
  .superRefine((c, ctx) => {
    const seen = new Map<string, number>();
    c.signals.forEach((s, i) => {
      const first = seen.get(s.name);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['signals', i, 'name'], message: `duplicate signal name "${s.name}" (also signals[${first}])` });
      } else seen.set(s.name, i);
    });
    const alertNames = new Map<string, number>();
    c.alerts.forEach((a, i) => {
      const r = alertRuleSchema.safeParse(a);
      if (!r.success) {
        for (const issue of r.error.issues) ctx.addIssue({ ...issue, path: ['alerts', i, ...issue.path] } as never);
        return;
      }
      const first = alertNames.get(r.data.name);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['alerts', i, 'name'], message: `duplicate alert name "${r.data.name}" (also alerts[${first}])` });
      } else alertNames.set(r.data.name, i);
    });
  });

/** A validated config file. */
export type SignalsConfig = z.output<typeof signalsConfigSchema>;

/** One problem of a definition or config, with its path (`signals[2].labels`). */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** A definition or config that failed validation: one problem per line, each with its path. */
export class DefinitionError extends Error {
  constructor(readonly problems: ConfigProblem[], source?: string) {
    super(`${source ? `${source}: ` : ''}invalid signal definition:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'DefinitionError';
  }
}

/** `signals[2].labels: need 2 to 10 labels`. */
export function formatProblem(p: ConfigProblem): string {
  return p.path ? `${p.path}: ${p.message}` : p.message;
}

/** A zod path as written in the config: `signals[2].rules.when[0].if`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

function problemsOf(error: z.ZodError, prefix: PropertyKey[] = []): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of error.issues) {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    out.push({ path: formatPath([...prefix, ...issue.path]), message });
  }
  return out;
}

/** Result of validating without throwing. */
export type Validation<T> = { ok: true; value: T } | { ok: false; problems: ConfigProblem[] };

/**
 * Deepest nesting of objects and arrays a definition or config may have. Conditions nest (`not`, `any`, `all`) and
 * the schema checks them recursively, so a deeper input is refused before it could overflow the stack; 100 levels
 * leave room for about 48 levels of conditions.
 */
export const MAX_DEFINITION_DEPTH = 100;

/** The path at which `input` first nests deeper than `MAX_DEFINITION_DEPTH`, walked without recursion; `null` if it does not. */
function tooDeepAt(input: unknown): PropertyKey[] | null {
  const stack: Array<[unknown, PropertyKey[]]> = [[input, []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (path.length >= MAX_DEFINITION_DEPTH) return path;
    for (const [key, child] of Object.entries(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, [...path, Array.isArray(node) ? Number(key) : key]]);
    }
  }
  return null;
}

function depthProblem(input: unknown, prefix: PropertyKey[]): ConfigProblem[] | null {
  const at = tooDeepAt(input);
  if (at === null) return null;
  return [{ path: formatPath([...prefix, ...at.slice(0, 8)]), message: `nested deeper than ${MAX_DEFINITION_DEPTH} levels (conditions nest at most about 48 levels of any/all/not)` }];
}

/** Validates one definition (the HTTP body shape); problems carry paths relative to the definition. */
export function validateDefinition(input: unknown, prefix: PropertyKey[] = []): Validation<SignalDefinition> {
  const deep = depthProblem(input, prefix);
  if (deep !== null) return { ok: false, problems: deep };
  const result = signalDefinitionSchema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: problemsOf(result.error, prefix) };
}

/** Validates one definition or throws a `DefinitionError` listing every problem. */
export function parseDefinition(input: SignalDefinitionInput | unknown): SignalDefinition {
  const result = validateDefinition(input);
  if (!result.ok) throw new DefinitionError(result.problems);
  return result.value;
}

/** Validates a whole config object; legacy `llm` sections are mapped first (see `mapLegacyLlm`). */
export function validateConfig(input: unknown, env: Record<string, string | undefined> = {}): Validation<SignalsConfig> {
  const deep = depthProblem(input, []);
  if (deep !== null) return { ok: false, problems: deep };
  const { data, problems } = mapLegacyLlm(input, env);
  const result = signalsConfigSchema.safeParse(data);
  const all = [...problems, ...(result.success ? [] : problemsOf(result.error))];
  return all.length === 0 && result.success ? { ok: true, value: result.data } : { ok: false, problems: all };
}

const normalUrl = (v: unknown): string | null => {
  try {
    const u = new URL(String(v));
    return u.search === '' && u.hash === '' && u.username === '' && u.password === '' ? `${u.origin}${u.pathname.replace(/\/+$/, '')}` : null;
  } catch {
    return null;
  }
};

/**
 * Config files written before providers carry `llm: {base_url, model, api_key_env, ...}` per signal. Such a
 * section becomes `{provider: NAME, model}` when a provider of the file (or the default one of `env`) has the same
 * URL and key variable; otherwise a problem says what to move where. Returns a copy; the input is not changed.
 */
export function mapLegacyLlm(input: unknown, env: Record<string, string | undefined> = {}): { data: unknown; problems: ConfigProblem[] } {
  if (input === null || typeof input !== 'object' || !Array.isArray((input as { signals?: unknown }).signals)) return { data: input, problems: [] };
  const config = input as { providers?: unknown; signals: unknown[] };
  const candidates: Array<{ name: string; url: string | null; keyEnv: string | null; model: unknown }> = [];
  if (env.SIGNALS_LLM_MODEL?.trim()) {
    candidates.push({ name: DEFAULT_PROVIDER, url: normalUrl(env.SIGNALS_LLM_BASE_URL?.trim() || OPENAI_BASE_URL), keyEnv: 'SIGNALS_LLM_API_KEY', model: env.SIGNALS_LLM_MODEL.trim() });
  }
  if (config.providers !== null && typeof config.providers === 'object') {
    for (const [name, p] of Object.entries(config.providers as Record<string, Record<string, unknown>>)) {
      if (p === null || typeof p !== 'object') continue;
      candidates.push({ name, url: normalUrl(p.base_url), keyEnv: typeof p.api_key_env === 'string' ? p.api_key_env : null, model: p.model });
    }
  }
  const problems: ConfigProblem[] = [];
  const signals = config.signals.map((signal, i) => {
    const llm = (signal as { llm?: unknown } | null)?.llm as Record<string, unknown> | undefined;
    if (llm === null || typeof llm !== 'object' || (llm.base_url === undefined && llm.api_key_env === undefined)) return signal;
    const keyEnv = typeof llm.api_key_env === 'string' ? llm.api_key_env : null;
    const url = normalUrl(llm.base_url);
    const match = candidates.find((c) => c.url !== null && c.url === url && c.keyEnv === keyEnv);
    const { base_url: _u, api_key_env: _k, price_per_1k_input: _pi, price_per_1k_output: _po, max_concurrency: _c, model, ...caps } = llm;
    if (!match) {
      problems.push({ path: `signals[${i}].llm`, message: legacyMoveHint(keyEnv) });
      return { ...(signal as object), llm: caps };
    }
    const mapped: Record<string, unknown> = { provider: match.name, ...caps };
    if (typeof model === 'string' && model !== match.model) mapped.model = model;
    return { ...(signal as object), llm: mapped };
  });
  return { data: { ...config, signals }, problems };
}

/**
 * Parses the text of `signals.config.yaml` or `.json` (YAML is a superset of JSON, so one parser reads both)
 * and validates it; throws a `DefinitionError` naming the file and every problem. `env` supplies the default
 * provider (`SIGNALS_LLM_*`) legacy `llm` sections may map to.
 */
export function loadConfig(text: string, source = 'signals.config.yaml', env: Record<string, string | undefined> = {}): SignalsConfig {
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new DefinitionError([{ path: '', message: `not valid YAML/JSON: ${(error as Error).message}` }], source);
  }
  if (data === null || data === undefined) data = {};
  const result = validateConfig(data, env);
  if (!result.ok) throw new DefinitionError(result.problems, source);
  return result.value;
}
