/**
 * agent-signals: model-free quality signals for AI-agent conversations. The package root is the pure part,
 * usable in Node, browsers and Workers: the analyzer and the input formats. Node-only and SDK-bound parts
 * live under subpaths (`agent-signals/otel`, `agent-signals/http`, the `signals` CLI).
 */
export * from './core/index.js';
export { detectFormat, FORMAT_NAMES, FormatError, isFormatName, openAIToMessages, toConversations, type Conversation, type FormatName } from './formats/index.js';
