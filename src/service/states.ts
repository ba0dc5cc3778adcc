import { ServiceError, type SignalState } from './api.js';

/**
 * The allowed state changes: a draft starts or is archived; an active signal pauses or is archived; a disabled
 * one resumes or is archived; an archived one comes back disabled (so it never labels without being asked).
 */
const TRANSITIONS: Record<SignalState, SignalState[]> = {
  draft: ['active', 'archived'],
  active: ['disabled', 'archived'],
  disabled: ['active', 'archived'],
  archived: ['disabled'],
};

/** The one place a signal changes state: returns `to`, or throws `ServiceError('conflict')` saying what is allowed. */
export function transition(name: string, from: SignalState, to: SignalState): SignalState {
  if (!(to in TRANSITIONS)) {
    throw new ServiceError('invalid', `Unknown state "${to}" (one of draft, active, disabled, archived)`);
  }
  if (TRANSITIONS[from].includes(to)) return to;
  const allowed = TRANSITIONS[from].join(' or ');
  const why = from === to ? `is already ${to}` : `is ${from} and cannot become ${to}`;
  throw new ServiceError('conflict', `Signal "${name}" ${why}; from ${from} it can become ${allowed}`);
}
