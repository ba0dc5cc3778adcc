import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { otlpOutCases } from '../helpers/cli-otlp-out-cases.js';
import { corpusDir } from '../helpers/corpus.js';

const SHARED = corpusDir();

// The sample's cases again on tau-bench, reports byte for byte against the reference's.
otlpOutCases(join(SHARED, 'corpus/tau-bench.sharegpt.jsonl'), readFileSync(join(SHARED, 'parity/tau-bench.reports.jsonl'), 'utf8').trimEnd().split('\n'));
