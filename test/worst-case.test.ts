import { describe, expect, it } from 'vitest';
import { measureCase, patternWords, worstCaseCases, type WorstCaseLib } from '../bench/worst-case-cases.mjs';
import { analyze } from '../src/core/index.js';
import { judgeWithLearned } from '../src/custom/learned/judge-learned.js';
import { judgeWithRules } from '../src/custom/rules/judge-rules.js';
import { compilePattern } from '../src/custom/rules/safe-regex.js';
import { TEMPLATES, templateDefinition } from '../src/custom/templates/index.js';
import * as patterns from '../src/core/patterns.js';
import { PHRASE_LISTS } from '../src/core/phrase-index.js';
import { RegexFamily } from '../src/core/regex-family.js';
import { conversationsOf } from '../src/http/analyze.js';
import { batchItems, batchLines } from '../src/http/batch.js';
import { parseJsonLossless } from '../src/http/lossless-json.js';
import { parseJsonBytes } from '../src/http/json-bytes.js';
import { parseOtlpJson } from '../src/http/otlp-json.js';
import { parseJson } from '../src/http/request.js';
import { decodeExportTraceRequest } from '../src/otlp/proto-decode.js';
import { encodeExportTraceRequest } from '../src/otlp/proto-encode.js';
import { validateExport, validateLogsExport } from '../src/otlp/validate.js';
import { MessageCollector } from '../src/store/span-messages.js';
import { ConversationReports } from '../src/service/conversation-reports.js';
import { readLogRecords, withLogRecords } from '../src/formats/traces/log-records.js';

// Linear time, proven on adversarial input for every matcher and parser: 1 KB and 1 MB of the same input, timed in
// the same run. Linear code costs at most ~1,000x more on 1 MB (fixed costs make it less); the quadratic scans this
// replaces cost 100,000x and more. The cases come from the pattern and phrase tables, so a new pattern is covered.
const LIMIT = 2000;

const lib = { analyze, RegexFamily, patterns, phraseLists: PHRASE_LISTS, parseJsonLossless, parseJsonBytes, parseOtlpJson, parseJson, batchItems, batchLines, conversationsOf, validateExport, decodeExportTraceRequest, encodeExportTraceRequest, validateLogsExport, readLogRecords, withLogRecords,
  templates: TEMPLATES.map((t) => ({ id: t.id, definition: templateDefinition(t.id) })), judgeWithRules, judgeWithLearned, compilePattern, MessageCollector, ConversationReports } as unknown as WorstCaseLib;
const cases = worstCaseCases(lib);
const groups = [...new Set(cases.map((c) => c.group))];

describe('worst-case inputs cost linear time (1 MB vs 1 KB)', () => {
  it('covers every regex pattern, phrase list and HTTP body parser', () => {
    const tables = Object.entries(patterns).filter(([, value]) => Array.isArray(value)) as [string, string[]][];
    expect(tables.length).toBeGreaterThanOrEqual(11);
    for (const [table, list] of tables) {
      for (const pattern of list) {
        expect(patternWords(pattern).length, pattern).toBeGreaterThan(0);
        expect(cases.some((c) => c.group === `regex ${table}` && c.name === `${pattern} adversarial mix`), pattern).toBe(true);
      }
    }
    for (const list of Object.keys(PHRASE_LISTS)) expect(groups).toContain(`phrases ${list}`);
    for (const template of TEMPLATES) expect(groups).toContain(`custom template ${template.id}`);
    for (const template of TEMPLATES) expect(groups).toContain(`learned template ${template.id}`);
    expect(groups).toContain('custom safe-regex constructs');
    expect(groups).toContain('custom safe-regex DFA cache');
    expect(groups).toContain('custom message memo');
    expect(groups).toContain('learned feature memo');
    expect(groups).toContain('learned conversation features');
    expect(groups).toContain('store message collector');
    expect(groups).toContain('service conversation reports');
    for (const parser of ['http lossless-json', 'http json pieces', 'http batch ndjson', 'http batch json', 'http analyze json', 'http otlp json', 'http otlp protobuf', 'http otlp logs json']) expect(groups).toContain(parser);
  });

  it.each(groups)('%s', (group) => {
    const costs = cases.filter((c) => c.group === group).map((c) => measureCase(c, { limit: LIMIT }));
    const slow = costs.filter((cost) => cost.ratio > LIMIT).map((cost) => `${cost.name}: ${cost.ratio.toFixed(0)}x (${cost.smallMs.toFixed(3)} ms -> ${cost.largeMs.toFixed(0)} ms)`);
    expect(slow, `above ${LIMIT}x`).toEqual([]);
  });
});
