import type { Conversation } from './conversation.js';
import { FormatError } from './format-error.js';
import { isJsonObject, type JsonObject } from './json-value.js';
import { openAIToMessages } from './openai.js';

/** True for a tau-bench (`traj`) or tau2-bench (`messages` + `reward_info`/`task_id`) task result. */
export function isTauResult(record: JsonObject): boolean {
  if (Array.isArray(record.traj)) return true;
  return Array.isArray(record.messages) && ('reward_info' in record || 'task_id' in record);
}

/** True for a whole tau2-bench results file (`{info, tasks, simulations: [...]}`). */
export function isTau2ResultsFile(record: JsonObject): boolean {
  return Array.isArray(record.simulations);
}

/**
 * One tau-bench / tau2-bench task result → a conversation. tau-bench keeps OpenAI messages in `traj`; tau2 keeps its
 * own messages (flat tool calls with object arguments) in `messages`. The reward and task id go to `meta`.
 */
export function tauResultToConversation(record: unknown): Conversation {
  if (!isJsonObject(record) || !isTauResult(record)) throw new FormatError('tau result must be an object with "traj" or "messages"');
  const messages = Array.isArray(record.traj) ? record.traj : (record.messages as unknown[]);
  const rewardInfo = isJsonObject(record.reward_info) ? record.reward_info : undefined;
  const reward = record.reward ?? rewardInfo?.reward ?? null;
  const taskId = record.task_id ?? null;
  const trial = record.trial ?? null;
  const id = record.id ?? (trial === null ? `task${String(taskId)}` : `task${String(taskId)}:trial${String(trial)}`);
  const meta: Record<string, unknown> = { task_id: taskId, trial, reward };
  const info = isJsonObject(record.info) ? record.info : undefined;
  // A run that crashed before any turn is not a neutral empty conversation: say why it is empty.
  const error = info?.error ?? record.error;
  if (error !== undefined && error !== null) meta.error = typeof error === 'string' ? error : JSON.stringify(error);
  if (messages.length === 0 && meta.error !== undefined) meta.crashed = true;
  return { id, messages: openAIToMessages(messages), meta };
}

/**
 * tau2-bench's newer results layout, a directory with `results.json` (run info and tasks, `simulations` empty or
 * absent) and `simulations/*.json` (one simulation each) → one conversation per simulation. Pure: the caller reads
 * and parses the files. Simulations listed in both places count once (by id).
 */
export function tau2RunToConversations(results: unknown, simulations: readonly unknown[]): Conversation[] {
  if (!isJsonObject(results)) throw new FormatError('tau2 results.json must be an object');
  const listed = Array.isArray(results.simulations) ? results.simulations : [];
  const seen = new Set<unknown>();
  const conversations: Conversation[] = [];
  [...listed, ...simulations].forEach((simulation, i) => {
    const id = isJsonObject(simulation) ? simulation.id : undefined;
    if (id !== undefined && seen.has(id)) return;
    seen.add(id);
    try {
      conversations.push(tauResultToConversation(simulation));
    } catch (error) {
      if (error instanceof FormatError) throw new FormatError(`simulation ${i}: ${error.message}`);
      throw error;
    }
  });
  return conversations;
}
