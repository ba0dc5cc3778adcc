import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { loadConfig } from '../custom/config.js';
import type { SignalDefinition } from '../custom/definition.js';
import { conversationTarget } from '../custom/targets.js';
import { resolveSignal } from '../custom/templates/index.js';
import type { Target } from '../custom/types.js';
import { toConversations } from '../formats/index.js';
import type { FormatName } from '../formats/conversation.js';
import { readRecords } from './commands/triage.js';
import { UsageError } from './usage-error.js';
import type { Providers } from '../custom/llm/providers.js';
import { nodeProviders } from '../service/node-providers.js';

/** The config file given, else `signals.config.yaml|yml|json` in the working directory when present. */
export async function readSignals(configPath: string | undefined): Promise<SignalDefinition[]> {
  const path = configPath ?? ['signals.config.yaml', 'signals.config.yml', 'signals.config.json'].find((p) => existsSync(p));
  if (path === undefined) return [];
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--config: cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return loadConfig(text, path).signals;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The operator's LLM providers for a local judge: `SIGNALS_LLM_*` and the `providers:` of `--config` (else the service's config file). */
export function providersFor(configPath: string | undefined): Providers {
  try {
    return nodeProviders(configPath === undefined ? process.env : { ...process.env, SIGNALS_CONFIG: configPath });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The named signal of the config, or the template of that id. */
export async function signalFromArgs(name: string | undefined, configPath: string | undefined): Promise<SignalDefinition> {
  if (name === undefined || name === '') throw new UsageError('--signal NAME is required (a signal of the config or a template id)');
  const signals = await readSignals(configPath);
  try {
    return resolveSignal(name, signals);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Every conversation of the files as a target of the signal's scope; bad records are reported and skipped. */
export async function* targetsFromFiles(files: readonly string[], definition: SignalDefinition, format: FormatName | undefined, command: string): AsyncGenerator<Target> {
  for await (const item of readRecords(files, command)) {
    let conversations;
    try {
      conversations = toConversations(item.record, format);
    } catch (error) {
      process.stderr.write(`signals ${command}: ${item.source}:${item.number}: ${(error as Error).message}\n`);
      continue;
    }
    let k = 0;
    for (const c of conversations) yield conversationTarget(c, definition.scope, `${item.source}:${item.number}${conversations.length > 1 ? `#${k++}` : ''}`);
  }
}
