/**
 * Node only: the operator's providers at start, from `SIGNALS_LLM_*` and the `providers:` section of the config
 * file (`SIGNALS_CONFIG`, else `signals.config.yaml|yml|json` in the working directory when present). A config file
 * whose signals still carry `llm.base_url`/`api_key_env` that match no provider stops the start with what to move where.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from '../custom/config.js';
import { operatorProviders, type Providers } from '../custom/llm/providers.js';
import '../outbound/node-resolver.js';

/** The config file the service reads providers from, or undefined. */
export function serviceConfigPath(env: Record<string, string | undefined>): string | undefined {
  const given = env.SIGNALS_CONFIG?.trim();
  if (given) return given;
  return ['signals.config.yaml', 'signals.config.yml', 'signals.config.json'].find((p) => existsSync(p));
}

/** Reads the providers; throws an `Error` naming the variable, file and path of every problem. */
export function nodeProviders(env: Record<string, string | undefined>): Providers {
  const path = serviceConfigPath(env);
  if (path === undefined) return operatorProviders(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`SIGNALS_CONFIG: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  return operatorProviders(env, loadConfig(text, path, env).providers);
}
