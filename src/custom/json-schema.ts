import { z } from 'zod';
import { signalsConfigSchema } from './config.js';
import { signalDefinitionSchema } from './definition.js';

/**
 * The JSON Schema of `signals.config.yaml|json` for editor completion (written to schema/signals.config.schema.json
 * by `npm run schema:config`; a test keeps the file in step). Cross-field rules (labels of rules, pattern safety)
 * are checked by `loadConfig`, not by the JSON Schema.
 */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(signalsConfigSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'agent-signals config (signals.config.yaml)',
  };
}

/** The JSON Schema of one signal definition (the HTTP body shape). */
export function definitionJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(signalDefinitionSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
