/** Input formats → the core's `Message[]` rows. Pure TypeScript, no Node APIs, so the HTTP service can use it too. */
export type { Conversation, FormatName } from './conversation.js';
export { FormatError } from './format-error.js';
export { detectFormat } from './detect.js';
export { toConversations } from './to-conversations.js';
export { openAIToMessages } from './openai.js';
export { FORMAT_NAMES, isFormatName } from './format-names.js';
export type { CapturedSpan, SpanConvention, TargetKind } from './captured-span.js';
export { isTraceFormat, readRecord, readTraceRecord, requireTraceContent, type ReadOptions, type TraceFormat } from './to-conversations.js';
export { resolveAgents } from './traces/resolve-agents.js';
export { otlpConversations, type TraceConversations, type TraceOptions } from './otlp.js';
export { readSpans, type ReadSpansOptions, type ReadSpansResult, type UnreadableSpan } from './traces/read-spans.js';
export { assembleConversations, GROUP_NAMES, isGroupBy, type GroupBy } from './traces/assemble.js';
export { readLangfuseExport } from './traces/langfuse-export.js';
export { readOpenAIAgentsExport } from './traces/openai-agents.js';
export { tau2RunToConversations } from './tau.js';
