import { AGENTS_VIEW } from './agents.js';
import { SIGNAL_VIEW } from './signal.js';
import { SIGNALS_VIEW } from './signals.js';
import { TARGET_VIEW } from './target.js';

/** Every view of the dashboard script, in one string; a new view is a file here and a line in this list. */
export const VIEWS = [SIGNALS_VIEW, SIGNAL_VIEW, TARGET_VIEW, AGENTS_VIEW].join('\n');
