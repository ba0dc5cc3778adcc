import type { Target } from './types.js';

/**
 * Whether a target has a message to judge: at least one with text. A target without one (its spans carried no
 * readable content, or the content has not arrived yet) is never judged: a verdict on nothing would be a guess,
 * a false "no". Callers count it as unreadable instead.
 */
export function hasReadableMessage(target: Target): boolean {
  return target.messages.some((m) => m.value.trim() !== '');
}
