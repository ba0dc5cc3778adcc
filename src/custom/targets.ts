import type { Conversation } from '../formats/conversation.js';
import type { SignalDefinition } from './definition.js';
import type { Target } from './types.js';

/**
 * A conversation read by the formats module as a target of the signal's scope. Files hold whole
 * conversations, so each one is one target whatever the scope (a span or trace target built from the
 * store replaces this once captured traffic exists).
 */
export function conversationTarget(conversation: Conversation, scope: SignalDefinition['scope'], fallbackId: string): Target {
  const meta = conversation.meta ?? {};
  const id = typeof conversation.id === 'string' || typeof conversation.id === 'number' ? String(conversation.id) : fallbackId;
  const agent = typeof meta.agent === 'string' ? meta.agent : typeof meta.source === 'string' ? meta.source : 'unknown';
  const model = typeof meta.model === 'string' ? meta.model : null;
  return { kind: scope, id, agent, messages: conversation.messages, meta: { ...meta, model } };
}
