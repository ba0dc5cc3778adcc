/** Types of `worst-case-cases.mjs` for the TypeScript test that imports it. */

/** One adversarial input family: builds an input of about `bytes` and runs the code under test on it. */
export interface WorstCase {
  group: string;
  name: string;
  build(bytes: number): unknown;
  run(input: never): void;
}

/** The cost of one case at two sizes, and their ratio. */
export interface WorstCaseCost {
  group: string;
  name: string;
  smallMs: number;
  largeMs: number;
  ratio: number;
  /** Set when the ratio was measured again from this many bytes (scaled back to the small size). */
  confirmedFrom?: number;
}

/** The functions under test, from src/ (tests) or dist/ (bench). */
export interface WorstCaseLib {
  analyze(rows: unknown, options?: unknown): unknown;
  RegexFamily: new (patterns: readonly string[]) => { find(text: string): unknown };
  patterns: Record<string, unknown>;
  phraseLists: Record<string, readonly string[]>;
  parseJsonLossless(text: string): unknown;
  parseJson(text: string): unknown;
  batchItems(text: string, jsonLines: boolean): Iterable<unknown>;
  batchLines(item: never, settings: unknown): unknown;
  conversationsOf(record: unknown, format: undefined): unknown;
  validateExport(value: unknown): unknown;
  /** The OTLP routes' JSON parsing: UTF-8 bytes parsed in pieces, and parsed then validated with the lossless fallback. */
  parseJsonBytes?(bytes: Uint8Array): unknown;
  parseOtlpJson?(bytes: Uint8Array, validate: (value: unknown, options: never) => unknown): unknown;
  decodeExportTraceRequest(bytes: Uint8Array): unknown;
  encodeExportTraceRequest(request: unknown): Uint8Array;
  /** `POST /v1/logs`: the logs validator, and GenAI log records read and joined to a span. */
  validateLogsExport?(value: unknown): { request: never };
  readLogRecords?(request: never): { records: unknown[] };
  withLogRecords?(span: never, records: never): unknown;
  /** The custom rules judge: every template, judged on adversarial text, and the safe-regex engine. */
  templates?: readonly { id: string; definition: unknown }[];
  judgeWithRules?(target: unknown, definition: never): unknown;
  compilePattern?(source: string, options?: { caseSensitive?: boolean }): { search(text: string): unknown };
  /** The learned judge: every template with a learned section, on adversarial targets. */
  judgeWithLearned?(target: unknown, definition: never): unknown;
  /** The store's message collector: spans repeating their conversation's messages. */
  MessageCollector?: new () => { add(agent: string, conversation: string, list: readonly unknown[]): unknown; rows(): unknown[] };
  /** The judge threads' built-in reports kept per conversation. */
  ConversationReports?: new () => { attach(target: unknown): { report?: unknown } };
}

export const SEPARATORS: readonly string[];
export function patternWords(pattern: string): string[];
export function fill(unit: string, bytes: number): string;
export function worstCaseCases(lib: WorstCaseLib): WorstCase[];
export function measureCase(
  c: WorstCase,
  options?: { smallBytes?: number; largeBytes?: number; budgetMs?: number; maxCopies?: number; limit?: number },
): WorstCaseCost;
