import { corpusPath } from '../helpers/corpus.js';
import { triageEvalCliCases } from '../helpers/triage-eval-cli-cases.js';

triageEvalCliCases(corpusPath('corpus', 'tau-bench.sharegpt.jsonl'), '| tau-bench | 164 | 92 | 56.1% |');
