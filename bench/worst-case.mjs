// Worst-case inputs for every matcher and parser (bench/worst-case-cases.mjs, generated from the pattern and phrase
// tables, and the custom rules judge's templates): CPU time on 1 MB against 1 KB of the same adversarial text. Linear code stays near 1,000x; above 2,000x
// a case is reported as failing and the exit code is 1.
import { analyze } from '../dist/core/index.js';
import { judgeWithLearned } from '../dist/custom/learned/judge-learned.js';
import { judgeWithRules } from '../dist/custom/rules/judge-rules.js';
import { compilePattern } from '../dist/custom/rules/safe-regex.js';
import { TEMPLATES, templateDefinition } from '../dist/custom/templates/index.js';
import * as patterns from '../dist/core/patterns.js';
import { PHRASE_LISTS } from '../dist/core/phrase-index.js';
import { RegexFamily } from '../dist/core/regex-family.js';
import { conversationsOf } from '../dist/http/analyze.js';
import { batchItems, batchLines } from '../dist/http/batch.js';
import { parseJsonLossless } from '../dist/http/lossless-json.js';
import { parseJsonBytes } from '../dist/http/json-bytes.js';
import { parseOtlpJson } from '../dist/http/otlp-json.js';
import { parseJson } from '../dist/http/request.js';
import { decodeExportTraceRequest } from '../dist/otlp/proto-decode.js';
import { encodeExportTraceRequest } from '../dist/otlp/proto-encode.js';
import { validateExport, validateLogsExport } from '../dist/otlp/validate.js';
import { MessageCollector } from '../dist/store/span-messages.js';
import { ConversationReports } from '../dist/service/conversation-reports.js';
import { readLogRecords, withLogRecords } from '../dist/formats/traces/log-records.js';
import { measureCase, worstCaseCases } from './worst-case-cases.mjs';

const LIMIT = 2000;
const cases = worstCaseCases({ analyze, RegexFamily, patterns, phraseLists: PHRASE_LISTS, parseJsonLossless, parseJsonBytes, parseOtlpJson, parseJson, batchItems, batchLines, conversationsOf, validateExport, decodeExportTraceRequest, encodeExportTraceRequest, validateLogsExport, readLogRecords, withLogRecords,
  templates: TEMPLATES.map((t) => ({ id: t.id, definition: templateDefinition(t.id) })), judgeWithRules, judgeWithLearned, compilePattern, MessageCollector, ConversationReports });
const byGroup = new Map();
for (const c of cases) {
  const cost = measureCase(c, { limit: LIMIT });
  const group = byGroup.get(c.group) ?? { cases: 0, worst: cost, largeMs: 0 };
  group.cases++;
  group.largeMs = Math.max(group.largeMs, cost.largeMs);
  if (cost.ratio > group.worst.ratio) group.worst = cost;
  byGroup.set(c.group, group);
}
const rows = [...byGroup].map(([name, g]) => ({
  family: name,
  cases: g.cases,
  'worst 1 MB / 1 KB': `${g.worst.ratio.toFixed(0)}x`,
  'slowest 1 MB (ms CPU)': g.largeMs.toFixed(1),
  'worst case': g.worst.name.length > 60 ? `${g.worst.name.slice(0, 57)}...` : g.worst.name,
}));
console.table(rows);
const failing = [...byGroup.values()].filter((g) => g.worst.ratio > LIMIT);
const overall = Math.max(...[...byGroup.values()].map((g) => g.worst.ratio));
console.log(`${cases.length} cases in ${byGroup.size} families; worst ratio ${overall.toFixed(0)}x (limit ${LIMIT}x)${failing.length ? `; ${failing.length} families above the limit` : ''}`);
process.exitCode = failing.length ? 1 : 0;
