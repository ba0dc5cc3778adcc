/**
 * agent-signals core: model-free quality signals for one conversation. Pure TypeScript with no
 * dependencies and no platform APIs, so it runs unchanged in Node, browsers and Cloudflare Workers.
 */
export { analyze } from './analyze.js';
export { createAnalyzer, type Analyzer, type AnalyzerSnapshot } from './incremental.js';
export { AnalyzerCache, type AnalyzerCacheOptions, type AnalyzerCacheStats } from './analyzer-cache.js';
export { serializeReport, serializeReportLine, serializeMetadata } from './serialize.js';
export { DEFAULT_OPTIONS } from './options.js';
export { SIGNAL_TYPES, type SignalTypeInfo } from './catalogue.js';
export { formatF32 } from './format.js';
export type {
  AnalyzeOptions,
  Category,
  Layer,
  Message,
  MetadataValue,
  QualityBucket,
  Signal,
  SignalGroup,
  SignalReport,
  SignalType,
  TurnMetrics,
} from './types.js';
