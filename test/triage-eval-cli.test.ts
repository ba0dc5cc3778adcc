import { SAMPLE } from './helpers/sample.js';
import { triageEvalCliCases } from './helpers/triage-eval-cli-cases.js';

triageEvalCliCases(SAMPLE.sharegpt, '| agent-signals-sample | 25 | 14 | 56.0% |');
