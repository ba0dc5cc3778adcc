import { corpusPath } from '../helpers/corpus.js';
import { triageCases } from '../helpers/triage-cases.js';

// tau2-bench: 148 conversations; some score above 6.
triageCases({
  conversations: corpusPath('corpus', 'tau2-bench.sharegpt.jsonl'),
  reports: corpusPath('parity', 'tau2-bench.reports.jsonl'),
  count: 148,
  keepAbove: { score: 6 },
});
