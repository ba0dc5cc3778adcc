import { validateDefinition, formatProblem } from './config.js';
import type { SignalDefinition } from './definition.js';
import { conversationTarget } from './targets.js';
import { templateDefinition, TEMPLATES } from './templates/index.js';
import { MAX_TEST_SAMPLE, testSignal, type TestResult } from './test-signal.js';
import type { JudgeContext, Target } from './types.js';
import { toConversations } from '../formats/index.js';

/** A bad test request: `problems` lists each mistake with its path (`definition.labels: need 2 to 10 labels`). */
export class TestRequestError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'TestRequestError';
  }
}

/**
 * `POST /v1/signals/test` without a store: `{definition | template, conversations, sample}` where each entry of
 * `conversations` is a record any input format reads (OpenAI, ShareGPT, Anthropic, OTLP, ...). Pure: runs on
 * Workers and in browsers too.
 */
export async function testSignalRequest(body: Record<string, unknown>, context: JudgeContext = { env: {} }): Promise<TestResult> {
  const problems: string[] = [];
  let definition: SignalDefinition | undefined;
  if (body.definition !== undefined && body.template !== undefined) problems.push('give either definition or template, not both');
  else if (body.definition !== undefined) {
    const r = validateDefinition(body.definition, ['definition']);
    if (r.ok) definition = r.value;
    else problems.push(...r.problems.map(formatProblem));
  } else if (typeof body.template === 'string') {
    definition = templateDefinition(body.template);
    if (!definition) problems.push(`template: unknown template "${body.template}" (one of ${TEMPLATES.map((t) => t.id).join(', ')})`);
  } else problems.push('definition or template is required');
  const sample = body.sample ?? Math.min(20, Array.isArray(body.conversations) ? body.conversations.length || 1 : 1);
  if (typeof sample !== 'number' || !Number.isInteger(sample) || sample < 1 || sample > MAX_TEST_SAMPLE) problems.push(`sample: an integer from 1 to ${MAX_TEST_SAMPLE}`);
  const targets: Target[] = [];
  if (!Array.isArray(body.conversations) || body.conversations.length === 0) problems.push('conversations: a non-empty array of conversation records is required');
  else if (definition) {
    body.conversations.forEach((record, i) => {
      try {
        toConversations(record).forEach((c, k) => targets.push(conversationTarget(c, definition.scope, `conversations[${i}]${k ? `#${k}` : ''}`)));
      } catch (error) {
        problems.push(`conversations[${i}]: ${(error as Error).message}`);
      }
    });
  }
  if (problems.length || !definition) throw new TestRequestError(problems);
  return testSignal({ definition, targets, sample: sample as number, context });
}
