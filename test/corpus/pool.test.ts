import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusPath } from '../helpers/corpus.js';
import { poolCases } from '../helpers/pool-cases.js';

const CORPUS = corpusPath('corpus');

// The sample's cases again on corpus files of both formats.
poolCases({
  files: () => ['tau2-bench.openai.jsonl', 'sgd.sharegpt.jsonl', 'mint-bench.sharegpt.jsonl'].map((name) => join(CORPUS, name)),
  conversations: 148 + 1595 + 469,
  lines: () => readFileSync(join(CORPUS, 'tau-bench.sharegpt.jsonl'), 'utf8').trimEnd().split('\n'),
});
