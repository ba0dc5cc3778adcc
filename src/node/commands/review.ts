import { userInfo } from 'node:os';
import type { JudgeReport } from '../../service/api.js';
import { UsageError } from '../usage-error.js';
import { BACKEND_HELP, command, num, print, printJson, str } from './cli-kit.js';
import { visibleName } from '../../formats/agent-name.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Per version, one line each: judges, the LLM's share, the cost saved, agreement with reviewers (what `signals show` and `signals review` print). */
export function formatJudgeReport(r: JudgeReport): string {
  const lines = [`Judging (per version; ${r.reviewed} target(s) reviewed${r.reviewers.length ? ` by ${r.reviewers.map((x) => `${x.name} ${x.n}`).join(', ')}` : ''})`];
  for (const v of r.versions) {
    const counts = Object.entries(v.counts).map(([j, n]) => `${j} ${n}`).join(', ') || 'no labels';
    const parts = [`  v${v.version} ${v.judge}: ${counts}`];
    if (v.llm_share !== null && (v.judge === 'learned-then-llm' || v.judge === 'rules-then-llm')) {
      parts.push(`${pct(v.llm_share)} to the LLM${v.expected_llm_share !== null ? ` (expected ${pct(v.expected_llm_share)})` : ''}`);
    }
    if (v.saved_usd_per_1000 !== null && v.judge !== 'llm') parts.push(`saves $${v.saved_usd_per_1000.toFixed(4)} per 1,000 targets`);
    const a = v.agreement;
    parts.push(a.n === 0 ? 'no reviewed target' : `agrees with reviewers on ${pct(a.share!)} of ${a.n}${a.kappa === null ? '' : `, kappa ${a.kappa.toFixed(2)}`}`);
    lines.push(parts.join('; '));
  }
  if (r.llm_usd_per_target === null) lines.push('  (cost saved: needs priced LLM labels; set the provider prices)');
  else lines.push(`  (an LLM-judged target cost $${r.llm_usd_per_target.toFixed(6)} on average)`);
  return lines.join('\n');
}

/** `signals review`. */
export const runReview = command({
  name: 'review',
  help: `Usage: signals review NAME [--json]
       signals review NAME TARGET VALUE [--agent A] [--reviewer WHO] [--note TEXT] [--version N]
       signals review NAME --undo LABEL_ID

Human labels. With only NAME: agreement of each version's judge with reviewers (share, Cohen's kappa), the
LLM's share and the cost saved, and the next targets to review (a fixed pseudo-random order). With TARGET and
VALUE: labels the target (judge human, who and when); it stays the target's label whatever a machine judge says
later, and counts first in training (signals learn). --undo removes a human label given by mistake.

The reviewer is a name you state (default: SIGNALS_REVIEWER, else your user name); the service has one API
token, so it records the name, it cannot prove it.

Options
  --agent A          the target's agent (when several agents sent this id)
  --reviewer WHO     who is labelling (at most 100 characters)
  --note TEXT        why (shown as the label's explanation)
  --version N        the signal version judged by (default: the current one)
  --limit N          targets listed to review (default 10)
  --undo LABEL_ID    remove this human label (the label before it is current again)
  --json             the result as JSON
${BACKEND_HELP}

Examples
  signals review frustration
  signals review frustration sess-42 yes --note "asks for a human twice"
  signals review intent 7f3c9a billing --agent shop`,
  args: [1, 3],
  options: { agent: { type: 'string' }, reviewer: { type: 'string' }, note: { type: 'string' }, version: { type: 'string' }, limit: { type: 'string' }, undo: { type: 'string' } },
  async run({ values, positionals, backend }) {
    const [name, target, value] = positionals;
    const undo = str(values, 'undo');
    if (target !== undefined && value === undefined) throw new UsageError(`give the label too: signals review ${name} ${target} VALUE`);
    if (undo !== undefined && target !== undefined) throw new UsageError('--undo LABEL_ID goes alone: signals review NAME --undo LABEL_ID');
    // Labelling or undoing is a review; the report and the queue are reads.
    const { api } = await backend(target !== undefined || undo !== undefined ? 'review' : 'read');
    if (undo !== undefined) {
      const r = await api.removeReview(name, undo);
      if (values.json) printJson(r);
      else print(`removed human label ${r.removed}`);
      return 0;
    }
    if (target !== undefined) {
      const reviewer = str(values, 'reviewer') ?? process.env.SIGNALS_REVIEWER ?? userInfo().username;
      const row = await api.review(name, { id: target, value: value!, reviewer, agent: str(values, 'agent'), note: str(values, 'note'), version: num(values, 'version') });
      if (values.json) printJson(row);
      else print(`${row.targetKind} ${row.targetId} (agent ${visibleName(row.agent)}): ${row.value}, by ${row.reviewer}, v${row.version} (label ${row.id})`);
      return 0;
    }
    const limit = num(values, 'limit') ?? 10;
    const [report, queue] = await Promise.all([api.judges(name), api.reviewQueue(name, { limit })]);
    if (values.json) {
      printJson({ judging: report, queue: queue.items });
      return 0;
    }
    const next = queue.items.map((l) => `  ${l.targetKind} ${l.targetId} (agent ${visibleName(l.agent)}): ${l.value ?? l.status} by ${l.judge} v${l.version}`);
    print(`${formatJudgeReport(report)}\n\nTo review next${next.length ? '' : ': nothing left'}\n${next.join('\n')}`);
    return 0;
  },
});
