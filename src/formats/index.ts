/** Input formats → the core's `Message[]` rows. Pure TypeScript, no Node APIs, so the HTTP service can use it too. */
export type { Conversation, FormatName } from './conversation.js';
export { FormatError } from './format-error.js';
export { detectFormat } from './detect.js';
export { toConversations } from './to-conversations.js';
export { openAIToMessages } from './openai.js';
export { FORMAT_NAMES, isFormatName } from './format-names.js';
