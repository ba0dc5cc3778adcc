import { parseDefinition } from '../config.js';
import type { SignalDefinition } from '../definition.js';
import { frustration } from './frustration.js';
import { jailbreak } from './jailbreak.js';
import { nsfw } from './nsfw.js';
import { refusal } from './refusal.js';
import { sentiment } from './sentiment.js';
import { taskOutcome } from './task-outcome.js';
import type { Template } from './template.js';

export type { Template } from './template.js';

/** The six ready templates, in the order `signals templates` lists them. */
export const TEMPLATES: readonly Template[] = [nsfw, jailbreak, refusal, frustration, sentiment, taskOutcome];

/** A template by id, or undefined. */
export function templateById(id: string): Template | undefined {
  return TEMPLATES.find((t) => t.id === id);
}

/** A template's definition, validated (defaults applied). */
export function templateDefinition(id: string): SignalDefinition | undefined {
  const template = templateById(id);
  return template ? parseDefinition(template.definition) : undefined;
}

/**
 * The definition a signal name refers to: the config's signal of that name, else the template of that id
 * (so a template works without a config). Throws naming what exists.
 */
export function resolveSignal(name: string, signals: readonly SignalDefinition[] = []): SignalDefinition {
  const configured = signals.find((s) => s.name === name);
  if (configured) return configured;
  const template = templateDefinition(name);
  if (template) return template;
  const known = [...signals.map((s) => s.name), ...TEMPLATES.map((t) => t.id)];
  throw new Error(`no signal or template "${name}" (known: ${[...new Set(known)].join(', ')})`);
}
