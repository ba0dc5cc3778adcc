import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { badRecordsCases } from '../helpers/cli-bad-records-cases.js';
import { corpusPath } from '../helpers/corpus.js';

const CORPUS = corpusPath('corpus');

// The sample's cases again on tau2-bench (OpenAI format), reports byte for byte against the reference's.
badRecordsCases({
  goodLines: readFileSync(join(CORPUS, 'tau2-bench.openai.jsonl'), 'utf8').split('\n').slice(0, 6),
  reportLines: readFileSync(join(CORPUS, '../parity/tau2-bench.openai.reports.jsonl'), 'utf8').split('\n').slice(0, 6),
  whole: join(CORPUS, 'tau-bench.openai.jsonl'),
  wholeCount: 164,
});
