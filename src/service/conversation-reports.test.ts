import { describe, expect, it } from 'vitest';
import { analyze } from '../core/analyze.js';
import { mulberry32 } from '../triage/prng.js';
import type { Message, SignalReport } from '../core/types.js';
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

  it("gives spans, traces and sessions of shared conversations analyze()'s report at every prefix, asked in any order", () => {
    const random = mulberry32(2026);
    const reports = new ConversationReports(4, 2, 3);
    const histories = new Map<string, Message[]>();
    let reused = 0;
    const seen = new Map<SignalReport, number>();
    for (let step = 0; step < 900; step++) {
      const session = `s${Math.floor(random() * 6)}`;
      let history = histories.get(session) ?? [];
      const r = random();
      if (r < 0.04) history = history.map((m, i) => (i === Math.floor(random() * history.length) ? { ...m, value: `${m.value}?` } : m));
      else if (r < 0.07) history = history.slice(0, Math.floor(random() * history.length));
      else if (r < 0.6 || history.length === 0) history = [...history, ...Array.from({ length: 1 + Math.floor(random() * 3) }, (_, k) => row(random, step * 10 + k))];
      if (history.length > 140) history = [];
      histories.set(session, history);
      // A span of the history; a trace or session target of a prefix of it (one a span ended at, or any), of all of
      // it, or of all of it and a row the spans never carried (a diverging branch).
      const pick = random();
      const kind = pick < 0.5 ? 'span' : pick < 0.8 ? 'trace' : 'session';
      let messages = history;
      if (kind !== 'span') {
        const q = random();
        if (q < 0.5) messages = history.slice(0, Math.floor(random() * (history.length + 1)));
        else if (q < 0.7) messages = [...history, row(random, -step)];
      }
      const target = reports.attach({ kind, id: `${kind}-${step}`, agent: 'a', meta: { sessionId: session, traceId: `t-${session}` }, messages: structuredClone(messages) });
      const report = reportOf(target);
      expect(report).toStrictEqual(analyze(messages));
      if (seen.has(report)) reused++;
      seen.set(report, step);
    }
    // Prefixes a span ended at were answered from the kept reports, not analyzed again.
    expect(reused).toBeGreaterThan(20);
  });

  it('answers a trace settling behind its spans from the report kept where its last span ended, and a session from the spans\' analyzer', () => {
    const reports = new ConversationReports();
    const history: Message[] = [];
    const spanReports: SignalReport[] = [];
    for (let i = 0; i < 6; i++) {
      history.push({ from: 'human', value: i === 3 ? 'No, that is wrong, I said order 12' : `Find order ${i}` }, { from: 'gpt', value: 'Let me look that up.' });
      spanReports.push(reportOf(reports.attach(span('s', `span-${i}`, structuredClone(history)))));
    }
    // Trace of the first four spans, settled after the fifth and sixth were judged.
    const trace = reportOf(reports.attach({ kind: 'trace', id: 't', agent: 'a', meta: { sessionId: 's', traceId: 't' }, messages: structuredClone(history.slice(0, 8)) }));
    expect(trace).toBe(spanReports[3]);
    expect(trace).toStrictEqual(analyze(history.slice(0, 8)));
    // A trace whose rows no span ended at is analyzed (and equal to analyze()).
    const odd = reportOf(reports.attach({ kind: 'trace', id: 'u', agent: 'a', meta: { sessionId: 's', traceId: 'u' }, messages: structuredClone(history.slice(0, 7)) }));
    expect(odd).toStrictEqual(analyze(history.slice(0, 7)));
    const whole = [...history, { from: 'gpt', value: 'Your order has shipped.' }];
    expect(reportOf(reports.attach({ kind: 'session', id: 's', agent: 'a', meta: { sessionId: 's' }, messages: structuredClone(whole) }))).toStrictEqual(analyze(whole));
    // Another agent's conversation of the same id shares nothing.
    const other = reportOf(reports.attach({ ...span('s', 'x', structuredClone(history.slice(0, 8))), agent: 'b' }));
    expect(other).not.toBe(spanReports[3]);
    expect(other).toStrictEqual(spanReports[3]);
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
