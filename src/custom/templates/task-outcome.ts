import { judge } from './models/task-outcome.js';
import type { Template } from './template.js';

// Wording of finished work, failures and hand-offs in agent replies; the built-in report supplies quits,
// tool errors and unanswered tool calls.
const DONE =
  "\\b(has|have|had) been (successfully )?(booked|cancel+ed|updated|changed|processed|completed|created|sent|scheduled|confirmed|modified|refunded|exchanged|returned|submitted|added|removed|resolved|fixed)\\b|\\bsuccessfully\\b|\\bis (now )?(confirmed|complete|done|all set)\\b|\\byou'?re all set\\b|<solution>|\\bthe (final )?answer is\\b";
const FAILED =
  "\\b(i'?m|i am) (sorry|afraid|unable)\\b.{0,60}\\b(can ?not|can'?t|unable|not able|not possible|not eligible)\\b|\\b(i )?(can ?not|can'?t|am unable to|was unable to|couldn'?t|could not) (proceed|complete|process|help|do|find|fulfil+|perform|make)\\b|\\bnot (possible|eligible|allowed|permitted)\\b|\\btransfer(red|ring)? (you )?to a human\\b";
const SATISFIED = '\\b(thanks?|thank you|perfect|great|that\'?s all|that is all|awesome|appreciate)\\b';

/** Task outcome: whether the agent completed the user's task. */
export const taskOutcome: Template = {
  id: 'task-outcome',
  title: 'Task outcome',
  definition: {
    name: 'task-outcome',
    description: "Whether the agent completed the user's task.",
    agent: '*',
    scope: 'session',
    type: 'labels',
    labels: [
      { name: 'completed', description: 'Everything the user asked for was done.' },
      { name: 'partial', description: 'Some of it was done, some was not.' },
      { name: 'failed', description: 'The agent tried but could not do it (errors, refusals, wrong result).' },
      { name: 'abandoned', description: 'The conversation ended before the task was finished (user left, agent stopped mid-way).' },
    ],
    prompt:
      "Judge the outcome of the user's task. completed: everything the user asked for was done and confirmed. partial: some " +
      'requests were done and others were not. failed: the agent tried but could not do it (tool errors it could not recover from, ' +
      'refusals, a wrong result, a hand-off to a human). abandoned: the conversation stopped before the task was finished ' +
      '(the user gave up or left, or the agent stopped mid-way, e.g. on a tool call with no answer).',
    // Chosen on the dev labels by grouped cross-validation (scripts/train-templates.mjs); the model ships either way.
    judge,
    learned: { model: 'template:task-outcome' },
    rules: {
      when: [
        { name: 'stopped on a tool call', label: 'abandoned', if: { expr: 'ends_on_unanswered_tool_call' } },
        { name: 'user gave up', label: 'abandoned', if: { expr: 'count("interaction.disengagement.quit") >= 1' } },
        {
          name: 'done and not done',
          label: 'partial',
          if: { all: [{ pattern: DONE, role: 'assistant' }, { pattern: FAILED, role: 'assistant', where: 'last' }] },
        },
        { name: 'failure in the last reply', label: 'failed', if: { pattern: FAILED, role: 'assistant', where: 'last' } },
        { name: 'escalation', label: 'failed', if: { expr: 'count("interaction.disengagement.escalation") >= 1' } },
        { name: 'unrecovered tool errors', label: 'failed', if: { all: [{ expr: 'tool_errors >= 3' }, { not: { pattern: DONE, role: 'assistant' } }] } },
        { name: 'done', label: 'completed', if: { any: [{ pattern: DONE, role: 'assistant' }, { pattern: SATISFIED, where: 'last' }] } },
      ],
      default: 'undecided',
    },
    sample_rate: 1,
  },
};
