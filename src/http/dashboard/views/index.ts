import { AGENTS_VIEW } from './agents.js';
import { REVIEW_VIEW } from './review.js';
import { SESSION_VIEW } from './session.js';
import { SESSIONS_VIEW } from './sessions.js';
import { ALERT_FORM_VIEW } from './alert-form.js';
import { SIGNAL_FORM_VIEW } from './signal-form.js';
import { SIGNAL_VIEW } from './signal.js';
import { SIGNALS_VIEW } from './signals.js';
import { TARGET_VIEW } from './target.js';
import { TRACES_VIEW } from './traces.js';

/** Every view of the dashboard script, in one string; a new view is a file here and a line in this list. */
export const VIEWS = [SIGNALS_VIEW, SIGNAL_VIEW, TARGET_VIEW, AGENTS_VIEW, SESSIONS_VIEW, TRACES_VIEW, SESSION_VIEW, SIGNAL_FORM_VIEW, ALERT_FORM_VIEW, REVIEW_VIEW].join('\n');
