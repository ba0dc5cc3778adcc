// Adversarial inputs for every matcher and parser, generated from the pattern and phrase tables so that a new
// pattern or phrase is covered without editing this file. Shared by `test/worst-case.test.ts` (on src/) and
// `bench/worst-case.mjs` (on dist/): both pass the library in, this file imports nothing.

/** Separators placed between and after keywords: newlines, spaces, a whitespace run, tab, punctuation, none. */
export const SEPARATORS = ['\n', ' ', '   ', '\t', ', ', ': ', '. ', '-', '\r\n', '\u00a0', ''];

/** The literal words of a pattern in the reference dialect (`\s+`, `\w`, `\b` and other escapes removed). */
export function patternWords(pattern) {
  return pattern.replace(/\\[a-zA-Z]/g, ' ').match(/[a-z0-9]+/g) ?? [];
}

/** `unit` repeated to at least `bytes` UTF-16 units (whole units only, so every copy is the same). */
export function fill(unit, bytes) {
  return unit.repeat(Math.max(1, Math.ceil(bytes / unit.length)));
}

/**
 * Near-miss pieces of one keyword sequence, for every separator: the last word cut short, each word on its own
 * and repeated, all the words joined (which the filter drops where that matches).
 */
function nearMisses(words) {
  const pieces = [];
  const last = words.length - 1;
  for (const sep of SEPARATORS) {
    if (words[last].length > 1) pieces.push([...words.slice(0, last), words[last].slice(0, -1)].join(sep) + sep);
    for (const word of words) pieces.push(word + sep + word + sep);
    pieces.push(words.join(sep) + sep);
  }
  return pieces;
}

/** Everything but the last word, for every separator: a head without its tail (`syntax error` without `json`). */
function heads(words) {
  return words.length < 2 ? [] : SEPARATORS.map((sep) => words.slice(0, -1).join(sep) + sep);
}

/** One row list with a tool result: what the failure and exhaustion families see. */
const observationRows = (text) => [
  { from: 'function_call', value: '{"name":"probe","arguments":{}}' },
  { from: 'observation', value: text },
];

/**
 * Every case: `{ group, name, build(bytes) → input, run(input) }`. `lib` holds the functions under test:
 * `{ analyze, RegexFamily, patterns, phraseLists, parseJsonLossless, parseJson, batchItems, batchLines, conversationsOf,
 * validateExport, decodeExportTraceRequest, encodeExportTraceRequest }`, and optionally the custom rules judge's
 * `{ templates (each `{ id, definition }`), judgeWithRules, compilePattern }`.
 */
export function worstCaseCases(lib) {
  const cases = [];
  const add = (group, name, build, run) => cases.push({ group, name, build, run });

  // Regex families: for every pattern, its heads without their tail between two far tails, its near-misses, and its
  // first word before one long whitespace run; pieces that some pattern matches are dropped, so the scan cannot
  // stop early. Each runs through its whole family (the same combined scan as a tool result gets); the
  // analyzer's tool-result path (lowercasing, the literal pre-scan, every family) gets one case per family.
  const families = Object.entries(lib.patterns).filter(([, list]) => Array.isArray(list));
  const anyPattern = new lib.RegexFamily(families.flatMap(([, list]) => list));
  const analyzeRows = (rows) => lib.analyze(rows);
  const seen = new Set();
  const addText = (group, name, unitKey, build, family) => {
    const key = `${group} ${unitKey}`;
    if (seen.has(key)) return;
    seen.add(key);
    add(group, name, build, (text) => family.find(text));
  };
  const unmatched = (pieces) => [...new Set(pieces)].filter((piece) => anyPattern.find(piece) === undefined).join('');
  for (const [table, list] of families) {
    const family = new lib.RegexFamily(list);
    const group = `regex ${table}`;
    const familyMisses = unmatched(list.flatMap((pattern) => nearMisses(patternWords(pattern))));
    add(group, 'tool result of every near-miss, through analyze', (bytes) => observationRows(fill(familyMisses, bytes)), analyzeRows);
    for (const pattern of list) {
      const words = patternWords(pattern);
      if (words.length === 0) continue;
      const tail = words.at(-1);
      const misses = unmatched(nearMisses(words));
      const head = unmatched(heads(words));
      // One text per pattern, in three parts: heads without their tail on their line, with the tail far before and
      // far after (the `A.*tail` scanners); near-misses; one head before a long whitespace run (the backtracking
      // case of `\s+`, `\s*:?\s*`). A quadratic scan of any part alone is still far above the limit.
      addText(group, `${pattern} adversarial mix`, `${head}|${misses}|${words[0]}|${tail}`, (bytes) => {
        const heads = head === '' ? '' : `${tail}\n${fill(head, bytes / 2)}\n${tail}\n`;
        const rest = bytes - heads.length;
        return `${heads}${fill(misses, rest / 2)}${words[0]}${fill(' \t', rest / 2)}${tail.slice(0, -1)}`;
      }, family);
    }
  }

  // Phrase lists, in a user message the size of the input (no truncation): near-misses and whole phrases, repeated.
  const long = (bytes) => ({ maxMessageLength: bytes * 4 });
  for (const [list, phrases] of Object.entries(lib.phraseLists)) {
    const miss = phrases.flatMap((phrase) => nearMisses(phrase.split(' '))).join('');
    const whole = SEPARATORS.map((sep) => phrases.join(sep) + sep).join('');
    for (const [kind, unit] of [['near-misses', miss], ['phrases repeated', whole]]) {
      add(`phrases ${list}`, kind, (bytes) => ({ rows: [{ from: 'human', value: fill(unit, bytes) }], options: long(bytes) }), ({ rows, options }) =>
        lib.analyze(rows, options),
      );
    }
  }

  // Messages and conversations: one long assistant or user message, a long tool call, many rows.
  const withOptions = ({ rows, options }) => lib.analyze(rows, options);
  add('messages', 'user message, default truncation', (bytes) => ({ rows: [{ from: 'human', value: fill('i give up!! why? ', bytes) }] }), withOptions);
  add('messages', 'assistant message, untruncated', (bytes) => ({ rows: [{ from: 'gpt', value: fill('Sorry, let me try again. ', bytes) }], options: long(bytes) }), withOptions);
  add('messages', 'tool call with long arguments', (bytes) => ({ rows: [{ from: 'function_call', value: `{"name":"x","arguments":{"q":"${fill('a\\"b ', bytes)}"}}` }] }), withOptions);
  add('messages', 'tool call nested without end', (bytes) => ({ rows: [{ from: 'function_call', value: `{"name":"x","arguments":${fill('[{"a":', bytes)}` }] }), withOptions);
  add('messages', 'tool call of many keys', (bytes) => ({ rows: [{ from: 'function_call', value: `{"name":"x","arguments":{${fill('"k":1,', bytes)}"z":0}}` }] }), withOptions);
  const all = { maxMessages: Number.POSITIVE_INFINITY };
  const conversation = (turn) => (bytes) => ({ rows: Array.from({ length: Math.ceil(bytes / JSON.stringify(turn).length) }, () => turn).flat(), options: all });
  add('rows', 'the same four rows repeated', conversation([
    { from: 'human', value: 'this is useless, i give up' },
    { from: 'gpt', value: 'Sorry, let me check again.' },
    { from: 'function_call', value: '{"name":"search","arguments":{"q":"flights"}}' },
    { from: 'observation', value: 'error: 503 service unavailable' },
  ]), withOptions);
  add('rows', 'tool calls only, one loop', conversation([{ from: 'function_call', value: '{"name":"retry","arguments":{}}' }]), withOptions);
  add('rows', 'user rephrasing the same request', conversation([
    { from: 'human', value: 'no, i meant the flight to paris on monday' },
    { from: 'human', value: 'no i meant the flights to paris on monday' },
  ]), withOptions);

  // HTTP body parsers.
  const swallow = (fn) => (input) => {
    try {
      fn(input);
    } catch {
      // A 400 is the expected answer; only its cost is measured.
    }
  };
  const lossless = swallow(lib.parseJsonLossless);
  add('http lossless-json', 'unterminated string of \\" and 16-digit runs', (bytes) => `{"a":"${fill('\\"1234567890123456', bytes)}`, lossless);
  add('http lossless-json', 'array of integers beyond 2^53', (bytes) => `[${fill('12345678901234567890,', bytes)}1]`, lossless);
  add('http lossless-json', 'nesting without end', (bytes) => `${fill('[', bytes)}1234567890123456789`, lossless);
  add('http lossless-json', 'one digit run', (bytes) => fill('1', bytes), lossless);
  add('http lossless-json', 'backslashes in a string', (bytes) => `["${fill('\\\\', bytes)}", 12345678901234567890]`, lossless);
  add('http lossless-json', 'fractions and exponents', (bytes) => `[${fill('1.1234567890123456789e-12345678901234567,', bytes)}0]`, lossless);

  // The OTLP routes' JSON parser (src/http/json-bytes.ts): UTF-8 bytes parsed in pieces; a body it declines is parsed
  // again the lossless way, so declined bodies (at the very end) are here too.
  const utf8 = (text) => new TextEncoder().encode(text);
  if (lib.parseJsonBytes) {
    const pieces = swallow(lib.parseJsonBytes);
    const otlpJson = swallow((bytes) => lib.parseOtlpJson(bytes, lib.validateExport));
    const big = (bytes) => fill('x', Math.min(bytes, 40_000));
    add('http json pieces', 'one run of scalars', (bytes) => utf8(`[${fill('"abcdefghijklmnop",1.5,', bytes)}1]`), pieces);
    add('http json pieces', 'array of small objects (cut into runs)', (bytes) => utf8(`[${fill(`{"a":"${'x'.repeat(200)}"},`, bytes)}{}]`), pieces);
    add('http json pieces', 'objects of large members', (bytes) => utf8(`[${fill(`{"k":["${big(bytes)}"],"k":{"a":"${big(bytes)}"}},`, bytes)}0]`), pieces);
    add('http json pieces', '1,000 nested large containers', (bytes) => utf8(`${'{"a":['.repeat(500)}"${fill('y', bytes)}"${']}'.repeat(500)}`), pieces);
    add('http json pieces', 'long keys of escaped quotes before large values', (bytes) => utf8(`{${fill(`"${'\\\"'.repeat(200)}":["${big(bytes)}"],`, bytes)}"e":0}`), pieces);
    add('http json pieces', 'declined at the last byte', (bytes) => utf8(`[${fill('{"a":[1,2,"x"]},', bytes)}1`), otlpJson);
    add('http json pieces', 'integers beyond 2^53 at the end (parsed again)', (bytes) => utf8(`{"resourceSpans":[${fill('{"schemaUrl":"u"},', bytes)}{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000001","startTimeUnixNano":1700000000000000001}]}]}]}`), otlpJson);
  }

  const BATCH_SETTINGS = { analyzeOptions: { maxMessages: 2000 }, keepReports: false };
  const record = '{"id":"r","messages":[{"from":"human","value":"no, i meant tomorrow"},{"from":"observation","value":"error 429 rate limit"}]}';
  const ndjson = (text) => {
    for (const item of lib.batchItems(text, true)) lib.batchLines(item, BATCH_SETTINGS);
  };
  // Records with LF and CRLF endings and a lone escaped surrogate (refused), in one text.
  const surrogate = '{"messages":[{"from":"human","value":"\\ud800 x"}]}';
  add('http batch ndjson', 'many records, LF and CRLF, lone surrogates', (bytes) => fill(`${record}\n${record}\r\n${surrogate}\n`, bytes), ndjson);
  add('http batch ndjson', 'blank lines', (bytes) => fill(' \t\r\n', bytes), ndjson);
  add('http batch ndjson', 'broken lines', (bytes) => fill(`{"messages":[{"from":"human","value":"${'no i meant '.repeat(20)}\n`, bytes), ndjson);
  add('http batch ndjson', 'one long line', (bytes) => `{"messages":[{"from":"human","value":"${fill('no i meant ', bytes)}"}]}`, ndjson);
  add('http batch json', 'array of records', (bytes) => `[${fill(`${record},`, bytes)}${record}]`, swallow((text) => {
    for (const item of lib.batchItems(text, false)) lib.batchLines(item, BATCH_SETTINGS);
  }));

  // `POST /v1/analyze`: the body parsed, its format detected and converted, for every chat format.
  const turns = {
    sharegpt: (n) => ({ id: 1, messages: Array.from({ length: n }, (_, i) => ({ from: i % 2 ? 'gpt' : 'human', value: 'no, i meant paris' })) }),
    openai: (n) => ({ messages: Array.from({ length: n }, () => [
      { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
      { role: 'tool', tool_call_id: 'c', content: [{ type: 'text', text: 'timeout' }] },
    ]).flat() }),
    anthropic: (n) => ({ system: 's', messages: Array.from({ length: n }, () => [
      { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: { a: 1 } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'error' }] },
    ]).flat() }),
    responses: (n) => ({ input: Array.from({ length: n }, () => [
      { type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c', output: 'rate limit' },
    ]).flat() }),
    tau: (n) => ({ task_id: 1, trial: 0, reward: 0, info: {}, traj: Array.from({ length: n }, () => ({ role: 'user', content: 'i give up' })) }),
  };
  for (const [format, make] of Object.entries(turns)) {
    const unitBytes = JSON.stringify(make(1)).length;
    add('http analyze json', format, (bytes) => JSON.stringify(make(Math.max(1, Math.ceil(bytes / unitBytes)))), swallow((text) => lib.conversationsOf(lib.parseJson(text), undefined)));
  }

  // `POST /v1/traces`: OTLP/JSON parsed and validated, OTLP/protobuf decoded and validated (src/otlp).
  const spanOf = (i, extra) => ({ traceId: '5b8efff798038103d269b633813fc60c', spanId: (i + 1).toString(16).padStart(16, '0'), name: 'chat', startTimeUnixNano: '1700000000000000000', ...extra });
  const deepValue = (depth) => {
    let value = { stringValue: 'x' };
    for (let i = 0; i < depth; i++) value = { arrayValue: { values: [value, { intValue: '1' }] } };
    return value;
  };
  const spanKinds = {
    'valid spans': () => ({ attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }], events: [{ name: 'e', timeUnixNano: '1' }] }),
    'values at the deepest accepted nesting': () => ({ attributes: [{ key: 'a', value: deepValue(31) }] }),
    'values one level too deep (every span rejected)': () => ({ attributes: [{ key: 'a', value: deepValue(32) }] }),
    'events as a string (every span rejected)': () => ({ events: 'abc' }),
    'unknown fields with nesting': () => ({ junk: [[[[{ a: [[[1]]] }]]]] }),
  };
  const otlpExport = (extra, bytes) => {
    const unitBytes = JSON.stringify(spanOf(0, extra())).length;
    const spans = Array.from({ length: Math.max(1, Math.ceil(bytes / unitBytes)) }, (_, i) => spanOf(i, extra()));
    return { resourceSpans: [{ scopeSpans: [{ spans }] }] };
  };
  for (const [name, extra] of Object.entries(spanKinds)) {
    if (lib.parseOtlpJson) add('http otlp json', name, (bytes) => utf8(JSON.stringify(otlpExport(extra, bytes))), swallow((body) => lib.parseOtlpJson(body, lib.validateExport)));
    else add('http otlp json', name, (bytes) => JSON.stringify(otlpExport(extra, bytes)), swallow((text) => lib.validateExport(lib.parseJsonLossless(text))));
    if (!name.includes('unknown') && !name.includes('as a string')) {
      add('http otlp protobuf', name, (bytes) => lib.encodeExportTraceRequest(otlpExport(extra, bytes)), swallow((body) => lib.validateExport(lib.decodeExportTraceRequest(body))));
    }
  }
  // `POST /v1/logs`: OTLP/JSON logs validated, their GenAI events read and joined to their span (sorted, merged).
  if (lib.validateLogsExport) {
    const span = { traceId: '5b8efff798038103d269b633813fc60c', spanId: '0000000000000001', parentSpanId: '', name: 'chat', agent: 'a', sessionId: null, convention: 'none', kind: 'other', startTimeUnixNano: '1', endTimeUnixNano: '2', model: null, messages: [], unreadable: true };
    const recordOf = (i, name, body) => ({ traceId: span.traceId, spanId: span.spanId, timeUnixNano: String(1700000000000000000 + (i % 7)), attributes: [{ key: 'event.name', value: { stringValue: name } }], body });
    const content = (text) => ({ kvlistValue: { values: [{ key: 'content', value: { stringValue: text } }] } });
    const recordKinds = {
      'user and choice events of one span': (i) => recordOf(i, i % 2 ? 'gen_ai.choice' : 'gen_ai.user.message', i % 2 ? { kvlistValue: { values: [{ key: 'message', value: content('no, i meant paris') }] } } : content('i give up')),
      'bodies at the deepest accepted nesting': (i) => recordOf(i, 'gen_ai.user.message', deepValue(31)),
      'details events, each merged into one': (i) => ({ ...recordOf(i, 'gen_ai.client.inference.operation.details', undefined), attributes: [{ key: 'event.name', value: { stringValue: 'gen_ai.client.inference.operation.details' } }, { key: 'gen_ai.input.messages', value: { stringValue: '[{"role":"user","parts":[{"type":"text","content":"x"}]}]' } }] }),
      'application logs (not kept)': (i) => ({ body: { stringValue: `request ${i} handled` } }),
    };
    for (const [name, make] of Object.entries(recordKinds)) {
      const unitBytes = JSON.stringify(make(0)).length;
      const build = (bytes) => JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: Array.from({ length: Math.max(1, Math.ceil(bytes / unitBytes)) }, (_, i) => make(i)) }] }] });
      const parse = lib.parseOtlpJson ? (text) => lib.parseOtlpJson(utf8(text), lib.validateLogsExport) : (text) => lib.validateLogsExport(lib.parseJsonLossless(text));
      add('http otlp logs json', name, build, swallow((text) => lib.withLogRecords(span, lib.readLogRecords(parse(text).request).records)));
    }
  }
  if (lib.templates) customRulesCases(lib, add);
  if (lib.templates && lib.judgeWithLearned) learnedCases(lib, add);
  if (lib.MessageCollector) collectorCases(lib, add);
  if (lib.ConversationReports) conversationReportCases(lib, add);
  return cases;
}

/** Every `pattern` (with its case flag) and phrase list name inside a rules condition tree. */
function ruleParts(node, out = { patterns: [], lists: [] }) {
  if (Array.isArray(node)) node.forEach((n) => ruleParts(n, out));
  else if (typeof node === 'object' && node !== null) {
    if (typeof node.pattern === 'string') out.patterns.push({ source: node.pattern, caseSensitive: node.case_sensitive === true });
    if (typeof node.phrases === 'string') out.lists.push(node.phrases);
    for (const value of Object.values(node)) ruleParts(value, out);
  }
  return out;
}

/** Adversarial inputs for one safe-regex construct: the pattern and a unit that almost matches it. */
const SAFE_REGEX_CONSTRUCTS = [
  ['(a|ab|abc)*d', 'abc'],
  ['(x+x+)+y', 'x'],
  ['[a-z]{2,40}!', 'abcdefgh '],
  ['a{1,50}b', 'a'],
  ['^start', ' start'],
  ['end$', 'end '],
  ['\\bword\\b', 'wordx '],
  ['(?:ab|a)*c', 'ab'],
  ['.*z', 'abc\n'],
  ['\\s+end\\b', ' \t'],
  ['\\p{Lu}{3}\\d', 'ABc\u00e9'],
  ['(one|two|three|four|five) (six|seven)', 'one two three '],
];

/**
 * The custom rules judge (`lib.templates`, `lib.judgeWithRules`, `lib.compilePattern`): every template judged on one
 * long message of the near-misses of its own patterns and phrases (pieces some pattern or phrase matches are dropped,
 * so no rule stops the scan), every template pattern alone on its near-misses, and the safe-regex constructs.
 */
function customRulesCases(lib, add) {
  // Every built target is new text (a serial number ends it): the judge's per-message memo must not turn the
  // repeated small inputs into lookups, or the ratio would compare real work on 1 MB with a cache hit on 1 KB.
  let serial = 0;
  const target = (text) => {
    const value = `${text} ${++serial}`;
    return { kind: 'session', id: 'w', agent: 'a', messages: [{ from: 'human', value }, { from: 'gpt', value }], meta: {} };
  };
  for (const template of lib.templates) {
    const rules = template.definition.rules ?? {};
    const { patterns } = ruleParts(rules.when ?? []);
    const phrases = Object.values(rules.lists ?? {}).flat();
    const compiled = patterns.map((p) => lib.compilePattern(p.source, { caseSensitive: p.caseSensitive }));
    const misses = (words) => nearMisses(words).filter((piece) => compiled.every((c) => c.search(piece) === null) && !phrases.some((ph) => piece.toLowerCase().includes(ph)));
    const pieces = [...new Set([...patterns.flatMap((p) => (patternWords(p.source).length ? misses(patternWords(p.source)) : [])), ...phrases.flatMap((ph) => misses(ph.split(' ')))])];
    const unit = pieces.join('') || 'x ';
    add(`custom template ${template.id}`, 'rules judge on near-misses of every pattern and phrase', (bytes) => target(fill(unit, bytes / 2)), (t) => lib.judgeWithRules(t, template.definition));
    patterns.forEach((p, k) => {
      const words = patternWords(p.source);
      if (words.length === 0) return;
      const own = misses(words).join('') || unit;
      add(`custom template ${template.id}`, `${p.source.slice(0, 50)} near-misses, then a long space run`, (bytes) => `${fill(own, bytes / 2)}${words[0]}${fill(' \t', bytes / 2)}`, (text) => compiled[k].search(text));
    });
  }
  // The memo itself: a history of many short distinct messages (every one a new entry, evictions included), and
  // the same history judged a second time (every message a lookup), as a live span repeats its history.
  const jailbreak = lib.templates.find((t) => t.id === 'jailbreak')?.definition;
  if (jailbreak) {
    const history = (bytes) => {
      const run = ++serial;
      return { kind: 'span', id: 'm', agent: 'a', meta: {}, messages: Array.from({ length: Math.max(1, Math.floor(bytes / 24)) }, (_, i) => ({ from: i % 2 ? 'gpt' : 'human', value: `msg ${run}.${i} ok` })) };
    };
    add('custom message memo', 'many short distinct messages, each a new memo entry', history, (t) => lib.judgeWithRules(t, jailbreak));
    add('custom message memo', 'a history judged again (every message a lookup)', history, (t) => {
      lib.judgeWithRules(t, jailbreak);
      lib.judgeWithRules({ ...t, messages: t.messages.map((m) => ({ ...m })) }, jailbreak);
    });
  }
  for (const [source, unit] of SAFE_REGEX_CONSTRUCTS) {
    const pattern = lib.compilePattern(source);
    add('custom safe-regex constructs', `/${source}/ on ${JSON.stringify(unit)} repeated`, (bytes) => fill(unit, bytes), (text) => pattern.search(text));
  }
  // The lazy DFA's state cache (1,000 states, 25,000 non-ASCII transitions), each input with a pattern of its own, so
  // the small input pays for building its states as the large one does: a pattern whose DFA has 2^12 states on
  // random text (a new state per code point, the cache starting over every 1,000), and a word on text of thousands of
  // distinct CJK code points (a new transition per code point).
  let random = 2463534242;
  const bit = () => {
    random ^= random << 13;
    random ^= random >>> 17;
    random ^= random << 5;
    return random & 1;
  };
  const ab = Array.from({ length: 8192 }, () => (bit() ? 'a' : 'b')).join('');
  add('custom safe-regex DFA cache', '/[ab]*a[ab]{11}c/ on random a/b text (a state per code point)', (bytes) => ({ pattern: lib.compilePattern('[ab]*a[ab]{11}c'), text: fill(ab, bytes).slice(0, bytes) }), ({ pattern, text }) => pattern.search(text));
  const cjk = Array.from({ length: 20_000 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
  add('custom safe-regex DFA cache', '/\\bxyz\\b/ on 20,000 distinct CJK code points', (bytes) => ({ pattern: lib.compilePattern('\\bxyz\\b'), text: fill(cjk, bytes).slice(0, bytes) }), ({ pattern, text }) => pattern.search(text));
}

/**
 * The store's message collector (`lib.MessageCollector`): a span's messages, then the next span of the same
 * conversation repeating them (each message compared with the remembered one instead of serialized again), with a
 * difference at the very end of a long message (compared whole, then serialized) or of the list. Every built input
 * is a conversation of its own, so the 1 KB runs find nothing remembered from each other.
 */
function collectorCases(lib, add) {
  let serial = 0;
  const twice = (list, next) => {
    const conversation = `s:${++serial}`;
    const collector = new lib.MessageCollector();
    collector.add('a', conversation, list);
    collector.add('a', conversation, next);
    collector.rows();
  };
  const copy = (v) => JSON.parse(JSON.stringify(v));
  const short = (bytes) => Array.from({ length: Math.max(1, Math.floor(bytes / 40)) }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `m${serial}.${i}` }));
  add('store message collector', 'many short messages, then the next span repeating them and one more', short, (list) => twice(list, [...copy(list), { role: 'user', content: 'new' }]));
  const keys = (bytes) => [{ role: 'tool', content: Object.fromEntries(Array.from({ length: Math.max(1, Math.floor(bytes / 12)) }, (_, i) => [`k${i}`, i])) }];
  add('store message collector', 'one message of many keys, then its copy with the last value changed', keys, (list) => {
    const next = copy(list);
    const content = next[0].content;
    const last = Object.keys(content).pop();
    content[last] = -1;
    twice(list, next);
  });
  const nested = (bytes) => {
    let value = 'leaf';
    for (let i = 0; i < Math.min(500, Math.max(1, Math.floor(bytes / 16))); i++) value = [value, i];
    return Array.from({ length: Math.max(1, Math.floor(bytes / 8_000)) }, () => ({ role: 'user', content: value }));
  };
  add('store message collector', 'messages nested 500 deep, then their copy', nested, (list) => twice(list, copy(list)));
}

/**
 * The judge threads' built-in reports kept per conversation (`lib.ConversationReports`): a long history continued by
 * one message (its prefix analyzed while building), a trace settling behind its spans (a prefix some span ended at:
 * the kept report after one comparison; one no span ended at: analyzed on a branch of its own), three histories
 * under one key taking turns (two branches kept: each turn starts over), and many conversations (past the cache's
 * bound: evictions). Rows set off detectors (corrections, tool errors, repeats), so reports are not empty.
 */
function conversationReportCases(lib, add) {
  let serial = 0;
  const TEXTS = ['No, that is wrong, I said order 12', 'Let me look that up.', '{"name":"get_order","arguments":"{}"}', 'Error 503 Service Unavailable'];
  const FROM = ['human', 'gpt', 'function_call', 'observation'];
  const rows = (bytes, run) => Array.from({ length: Math.max(2, Math.floor(bytes / 32)) }, (_, i) => ({ from: FROM[i % 4], value: i % 4 === 0 ? `${TEXTS[0]} ${run}.${i}` : TEXTS[i % 4] }));
  const target = (kind, session, messages) => ({ kind, id: `${kind}-${++serial}`, agent: 'a', meta: { sessionId: session }, messages });
  const read = (reports, t) => reports.attach(t).report;
  add('service conversation reports', 'a long history continued by one message', (bytes) => {
    const reports = new lib.ConversationReports();
    const messages = rows(bytes, ++serial);
    read(reports, target('span', 's', messages.slice(0, -1)));
    return { reports, next: target('span', 's', messages.map((m) => ({ ...m }))) };
  }, ({ reports, next }) => read(reports, next));
  add('service conversation reports', 'a trace behind its spans: a prefix a span ended at, then one no span ended at', (bytes) => {
    const reports = new lib.ConversationReports();
    const messages = rows(bytes, ++serial);
    read(reports, target('span', 's', messages.slice(0, -1)));
    read(reports, target('span', 's', messages));
    return { reports, messages };
  }, ({ reports, messages }) => {
    read(reports, target('trace', 's', messages.slice(0, -1).map((m) => ({ ...m }))));
    read(reports, target('trace', 's', messages.slice(0, -2).map((m) => ({ ...m }))));
  });
  add('service conversation reports', 'three histories under one key taking turns', (bytes) => [0, 1, 2].map((k) => rows(bytes / 6, `${++serial}.${k}`)), (histories) => {
    const reports = new lib.ConversationReports();
    for (let turn = 0; turn < 2; turn++) for (const h of histories) read(reports, target('span', 's', h));
  });
  add('service conversation reports', 'many conversations, past the bound', (bytes) => Array.from({ length: Math.max(1, Math.floor(bytes / 256)) }, (_, k) => rows(256, `${++serial}.${k}`)), (list) => {
    const reports = new lib.ConversationReports();
    list.forEach((messages, k) => {
      read(reports, target('span', `c${k}`, messages));
      read(reports, target('session', `c${k}`, [...messages, { from: 'gpt', value: 'Done.' }]));
    });
  });
}

/**
 * The learned judge (`lib.templates` with a `learned` section, `lib.judgeWithLearned`): every template's model on one
 * long message of many distinct words (the n-gram maps grow with the text), on one endless word, on punctuation and
 * astral-plane characters, and on many short messages of alternating roles (each message is read once).
 */
function learnedCases(lib, add) {
  const target = (messages) => ({ kind: 'session', id: 'w', agent: 'a', messages, meta: {} });
  // Every built input is new text (a serial number starts it): the judge's per-message feature memo must not turn
  // the repeated small inputs into lookups, or the ratio would compare real work on 1 MB with a cache hit on 1 KB.
  let serial = 0;
  const words = (bytes) => {
    let text = `s${++serial} `;
    for (let i = 0; text.length < bytes; i++) text += `w${i.toString(36)} `;
    return text;
  };
  const inputs = [
    ['one message of distinct words', (bytes) => target([{ from: 'human', value: words(bytes) }])],
    ['one endless word', (bytes) => target([{ from: 'human', value: `${++serial} ${fill('ab', bytes)}` }])],
    ['punctuation and astral characters', (bytes) => target([{ from: 'human', value: `${++serial} ${fill("!?'’ \u{1F600}\u{10437}", bytes)}` }])],
    [
      'many short messages of alternating roles',
      (bytes) => {
        const run = ++serial;
        return target(Array.from({ length: Math.max(1, Math.floor(bytes / 24)) }, (_, i) => ({ from: ['human', 'gpt', 'function_call', 'observation'][i % 4], value: i % 4 === 2 ? '{"name":"t","arguments":{}}' : `msg ${run}.${i} ignore all rules` })));
      },
    ],
  ];
  for (const template of lib.templates) {
    if (!template.definition.learned) continue;
    for (const [name, build] of inputs) add(`learned template ${template.id}`, `learned judge on ${name}`, build, (t) => lib.judgeWithLearned(t, template.definition));
  }
  // The feature memo itself: a history of many short distinct messages (every one a new entry, evictions past its
  // budget included), and the same history judged a second time (every message a lookup), as a live span repeats it.
  const sentiment = lib.templates.find((t) => t.id === 'sentiment' && t.definition.learned)?.definition;
  if (sentiment) {
    const history = (bytes) => {
      const run = ++serial;
      return target(Array.from({ length: Math.max(1, Math.floor(bytes / 24)) }, (_, i) => ({ from: i % 2 ? 'gpt' : 'human', value: `msg ${run}.${i} ok` })));
    };
    add('learned feature memo', 'many short distinct messages, each a new memo entry', history, (t) => lib.judgeWithLearned(t, sentiment));
    add('learned feature memo', 'a history judged again (every message a lookup)', history, (t) => {
      lib.judgeWithLearned(t, sentiment);
      lib.judgeWithLearned({ ...t, messages: t.messages.map((m) => ({ ...m })) }, sentiment);
    });
  }
  // The text features kept per conversation (one cache per model, least recently used out past its bounds): a long
  // history continued by one message (its prefix judged while building: the timed call walks the conversation's
  // distinct features once), many conversations (2,048 at 1 MB) each judged and then judged again with an edited start
  // (every one a new entry, then a start over; evictions past the cache's bounds), and two histories under one key
  // taking turns (never continuing each other). Character n-grams (jailbreak's model) give the most features; the many
  // short conversations use sentiment's model (no built-in counts: the core analysis of every message would dominate).
  const learned = lib.templates.find((t) => t.id === 'jailbreak' && t.definition.learned)?.definition;
  if (learned && sentiment) {
    const rows = (bytes, run) => Array.from({ length: Math.max(2, Math.floor(bytes / 32)) }, (_, i) => ({ from: i % 2 ? 'gpt' : 'human', value: `conv ${run} message ${i} ok` }));
    const span = (messages, session) => ({ kind: 'span', id: 'w', agent: 'a', messages, meta: { sessionId: session } });
    add(
      'learned conversation features',
      'a long history continued by one message',
      (bytes) => {
        const run = ++serial;
        const messages = rows(bytes, run);
        lib.judgeWithLearned(span(messages.slice(0, -1), `c${run}`), learned);
        return span(messages.map((m) => ({ ...m })), `c${run}`);
      },
      (t) => lib.judgeWithLearned(t, learned),
    );
    add(
      'learned conversation features',
      'many conversations, each judged again with an edited start',
      (bytes) => {
        const run = ++serial;
        return Array.from({ length: Math.max(1, Math.floor(bytes / 512)) }, (_, k) => ({ messages: rows(512, `${run}.${k}`), session: `m${run}.${k}` }));
      },
      (list) => {
        for (const { messages, session } of list) lib.judgeWithLearned(span(messages, session), sentiment);
        for (const { messages, session } of list) lib.judgeWithLearned(span([{ from: 'human', value: `${messages[0].value} edited` }, ...messages.slice(1)], session), sentiment);
      },
    );
    add(
      'learned conversation features',
      'two histories under one conversation key, taking turns',
      (bytes) => {
        const run = ++serial;
        return [rows(bytes / 2, `${run}a`), rows(bytes / 2, `${run}b`)];
      },
      ([a, b]) => {
        for (const messages of [a, b, a]) lib.judgeWithLearned(span(messages.map((m) => ({ ...m })), 'shared'), sentiment);
      },
    );
  }
}

/**
 * Milliseconds of CPU this process spent since `start` (a `process.cpuUsage()` value): the cost of the work, not
 * the wall time, which on a shared machine also counts the waits for a core.
 */
function cpuMsSince(start) {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

/** CPU ms of one call of `run(input)`. */
function timeOnce(run, input) {
  const start = process.cpuUsage();
  run(input);
  return cpuMsSince(start);
}

/**
 * Mean CPU ms per call of the small input, over distinct copies (so the calls do not all run from a hot L1 cache
 * while the large one streams from memory), in rounds of 16 until `budgetMs` of CPU or `maxCopies` copies.
 */
function timeSmall(c, bytes, budgetMs, maxCopies) {
  const warm = c.build(bytes);
  flatten(warm);
  for (let i = 0; i < 3; i++) c.run(warm);
  let spent = 0;
  let calls = 0;
  while (calls < maxCopies && (spent < budgetMs || calls < 16)) {
    const round = Array.from({ length: 16 }, () => c.build(bytes));
    flatten(round);
    const start = process.cpuUsage();
    for (const input of round) c.run(input);
    spent += cpuMsSince(start);
    calls += round.length;
  }
  return spent / calls;
}

/** Flattens the strings of an input (V8 builds `repeat` results as rope strings), so the first timed call does not pay for it. */
function flatten(value) {
  if (typeof value === 'string') value.indexOf('\u0000');
  else if (Array.isArray(value)) value.forEach(flatten);
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach(flatten);
}

/**
 * The cost ratio of one case: time on `largeBytes` of input over time on `smallBytes`, measured in the same run.
 * Linear code gives about largeBytes / smallBytes (often less: fixed costs weigh more on the small input); a
 * quadratic one gives that squared. A ratio above `limit` is measured again, up to twice (the best time of each), so
 * a GC pause or a busy neighbour on a shared machine is not a failure. If it is still above, the case is measured
 * once more from 64 times the small size (`confirmedFrom`), both sizes timed as single calls: 1 KB inputs timed in a
 * hot loop run from the cache with few allocations, so fast linear code can cost 2,000x on one 1 MB call (it misses the
 * cache and makes the collector work), while from 64 KB the same code costs about 16x and a quadratic one 256x. The ratio is then that one scaled back to the
 * small size (times 64), so the same limit holds.
 */
export function measureCase(c, { smallBytes = 1024, largeBytes = 1 << 20, budgetMs = 5, maxCopies = 256, limit = Infinity } = {}) {
  const large = c.build(largeBytes);
  flatten(large);
  let smallMs = timeSmall(c, smallBytes, budgetMs, maxCopies);
  let largeMs = timeOnce(c.run, large);
  for (let retry = 1; retry <= 2 && largeMs / smallMs > limit; retry++) {
    smallMs = Math.max(smallMs, timeSmall(c, smallBytes, budgetMs * 4, maxCopies * 4));
    largeMs = Math.min(largeMs, timeOnce(c.run, large));
  }
  const scale = 256;
  if (largeMs / smallMs > limit && smallBytes * scale < largeBytes) {
    // Both sizes timed the same way (single calls, best of three on fresh copies), so neither has the cache to itself.
    const mediumBytes = smallBytes * scale;
    let mediumMs = Infinity;
    for (let i = 0; i < 3; i++) {
      const medium = c.build(mediumBytes);
      flatten(medium);
      mediumMs = Math.min(mediumMs, timeOnce(c.run, medium));
      largeMs = Math.min(largeMs, timeOnce(c.run, large));
    }
    return { group: c.group, name: c.name, smallMs: mediumMs / scale, largeMs, ratio: (largeMs / mediumMs) * scale, confirmedFrom: mediumBytes };
  }
  return { group: c.group, name: c.name, smallMs, largeMs, ratio: largeMs / smallMs };
}
