import { describe, expect, it } from 'vitest';
import { analyze } from '../core/analyze.js';
import { mulberry32 } from '../triage/prng.js';
import type { Message } from '../core/types.js';
import type { Target } from '../custom/types.js';
import { reportOf, reportSignals } from '../custom/rules/features.js';
import { ConversationReports } from './conversation-reports.js';

// Rows that set off the built-in detectors: corrections, giving up, thanks, repeats, tool errors, loops.
const HUMAN = ['Find order 12 please', 'No, that is wrong, I said order 12', 'this is useless, forget it', 'thanks, that worked!', 'I want to talk to a human', 'Find order 12 please'];
const GPT = ['Let me look that up.', 'Sorry, the order service is down.', 'Let me look that up.', 'Your order has shipped.'];
const TOOL = ['{"status":"ok"}', 'Error 503 Service Unavailable', 'rate limit exceeded, retry later', 'Traceback (most recent call last): boom'];

function row(random: () => number, i: number): Message {
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  switch (Math.floor(random() * 4)) {
    case 0:
      return { from: 'human', value: `${pick(HUMAN)}${random() < 0.3 ? ` (${i})` : ''}` };
    case 1:
      return { from: 'gpt', value: pick(GPT) };
    case 2:
      return { from: 'function_call', value: JSON.stringify({ name: pick(['get_order', 'search']), arguments: JSON.stringify({ id: random() < 0.5 ? 12 : i }) }) };
    default:
      return { from: 'observation', value: pick(TOOL) };
  }
}

const span = (session: string, id: string, messages: Message[]): Target => ({ kind: 'span', id, agent: 'a', meta: { sessionId: session }, messages });

describe('ConversationReports', () => {
  it("gives every target analyze()'s report, whole (counts and score too), over growing, interleaved, edited and long histories", () => {
    const random = mulberry32(26);
    const reports = new ConversationReports(3);
    const histories = new Map<string, Message[]>();
    const types = new Set<string>();
    for (let step = 0; step < 700; step++) {
      // Five conversations for a memory of three: some are evicted and start over.
      const session = `s${Math.floor(random() * 5)}`;
      let history = histories.get(session) ?? [];
      const r = random();
      // Mostly a span that adds a few rows; sometimes an edited or trimmed history, or the same span again.
      if (r < 0.05) history = history.slice(Math.floor(random() * history.length));
      else if (r < 0.1 && history.length > 0) history = history.map((m, i) => (i === Math.floor(history.length / 2) ? { ...m, value: `${m.value}!` } : m));
      else if (r < 0.9) history = [...history, ...Array.from({ length: 1 + Math.floor(random() * 4) }, (_, k) => row(random, step * 10 + k))];
      // Past the analyzer's window of 100 rows too.
      if (history.length > 160) history = [];
      histories.set(session, history);
      // A fresh copy of each row, as a judge thread's task carries it.
      const target = reports.attach(span(session, `span-${step}`, structuredClone(history)));
      const report = reportOf(target);
      expect(report).toStrictEqual(analyze(history));
      for (const s of reportSignals(report)) types.add(s.type.split('.').slice(0, 2).join('.'));
    }
    // The histories set off detectors of every layer, so the reports compared are not empty ones.
    expect(types.size).toBeGreaterThanOrEqual(4);
  });

  it('keeps a report the target already carries, and takes one set later', () => {
    const reports = new ConversationReports();
    const carried = analyze([{ from: 'human', value: 'thanks!' }]);
    const target = reports.attach({ ...span('s', 'x', [{ from: 'human', value: 'this is useless' }]), report: carried });
    expect(target.report).toBe(carried);
    const other = reports.attach(span('s', 'y', [{ from: 'human', value: 'this is useless' }]));
    other.report = carried;
    expect(other.report).toBe(carried);
  });
});
