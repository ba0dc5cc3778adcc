import { ProviderConfigError, providerFor, type Providers } from '../custom/llm/providers.js';
import type { SignalsApi } from './api.js';

/**
 * Signals stored before providers existed carry `llm.base_url`/`api_key_env`. Those matching an operator provider
 * keep working (the judge maps them); for the others this returns one line each saying what to move where, so the
 * service can refuse to start rather than fail every judgement. Archived signals are left alone.
 */
export async function legacyProblems(api: SignalsApi, providers: Providers): Promise<string[]> {
  const out: string[] = [];
  for (const summary of await api.listSignals()) {
    const { definition } = await api.getSignal(summary.id);
    const llm = definition.llm as { base_url?: unknown; api_key_env?: unknown } | undefined;
    if (llm === undefined || (llm.base_url === undefined && llm.api_key_env === undefined)) continue;
    const found = providerFor(llm, providers);
    if (found instanceof ProviderConfigError) out.push(`signal "${definition.name}": ${found.message}`);
  }
  return out;
}
