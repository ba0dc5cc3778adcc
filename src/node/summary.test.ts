import { describe, expect, it } from 'vitest';
import { newTotals } from './run-totals.js';
import { formatSummary, summarize } from './summary.js';

function sampleTotals() {
  const totals = newTotals(2, 3_000_000, 2);
  totals.scored = 9;
  totals.rejected = 1;
  totals.inputBytes = 3_000_000;
  totals.quality = { good: 4, severe: 5 };
  totals.signalTypes = { 'interaction.disengagement.quit': 5, 'execution.loops.retry': 7 };
  totals.worst = [
    { id: 'conv-7', quality: 'severe', score: 0, signals: [['interaction.disengagement.quit', 1], ['execution.loops.retry', 2]] },
    { id: 3, quality: 'severe', score: 0, signals: [] },
  ];
  return totals;
}

describe('summarize', () => {
  it('computes read = scored + rejected, rates and sorted signal types', () => {
    const summary = summarize(sampleTotals(), { elapsedMs: 2000, cpuMicros: 3_500_000, maxRssKb: 204800 });
    expect(summary).toEqual({
      files: 2,
      conversations: { read: 10, scored: 9, rejected: 1 },
      quality: { excellent: 0, good: 4, neutral: 0, poor: 0, severe: 5 },
      signal_types: { 'execution.loops.retry': 7, 'interaction.disengagement.quit': 5 },
      genai_spans_without_messages: { count: 0, examples: [] },
      worst_conversations: [
        { id: 'conv-7', quality: 'severe', quality_score: 0, signals: { 'interaction.disengagement.quit': 1, 'execution.loops.retry': 2 } },
        { id: 3, quality: 'severe', quality_score: 0, signals: {} },
      ],
      threads: 2,
      elapsed_s: 2,
      input_bytes: 3_000_000,
      conversations_per_s: 5,
      mb_per_s: 1.5,
      cpu_s: 3.5,
      peak_rss_mb: 200,
    });
    expect(Object.keys(summary.signal_types)).toEqual(['execution.loops.retry', 'interaction.disengagement.quit']);
  });
});

describe('formatSummary', () => {
  it('prints conversations per bucket with bars, signal counts said to be signals, the worst conversations', () => {
    const text = formatSummary(summarize(sampleTotals(), { elapsedMs: 2000, cpuMicros: 3_500_000, maxRssKb: 204800 }));
    expect(text.split('\n')).toEqual([
      'conversations read                10',
      '  scored                           9',
      '  rejected                         1',
      'conversations per quality bucket',
      '  good                             4  ████████████████████████',
      '  neutral                          0',
      '  poor                             0',
      '  severe                           5  ██████████████████████████████',
      'most frequent signals (signals, not conversations: one conversation can have several)',
      '  execution.loops.retry            7',
      '  interaction.disengagement.quit   5',
      'worst conversations (lowest quality score)',
      '  conv-7                          severe, score 0: interaction.disengagement.quit, execution.loops.retry ×2',
      '  3                               severe, score 0: no signal',
      'elapsed                           2.00 s (2 threads)',
      'throughput                        not measured: 10 conversations in 2.00 s is mostly start-up',
      'peak RSS                          200.0 MB',
    ]);
  });

  it('shows excellent only when a conversation reached it, and throughput once the run is long enough', () => {
    const totals = sampleTotals();
    totals.quality = { excellent: 1, good: 4, severe: 5 };
    totals.scored = 2000;
    const lines = formatSummary(summarize(totals, { elapsedMs: 2000, cpuMicros: 0, maxRssKb: 0 })).split('\n');
    expect(lines).toContain('  excellent                           1  ██████');
    expect(lines.find((line) => line.startsWith('throughput'))).toBe('throughput                        1,001 conv/s, 1.50 MB/s');
  });

  it('counts GenAI spans without readable messages, with the first span names', () => {
    const totals = sampleTotals();
    totals.unreadableSpans = 7;
    totals.unreadableSpanNames = ['chat gpt-4o', 'openai.chat'];
    const lines = formatSummary(summarize(totals, { elapsedMs: 2000, cpuMicros: 0, maxRssKb: 0 })).split('\n');
    expect(lines[3]).toBe('GenAI spans without readable messages  7 (chat gpt-4o, openai.chat, …)');
  });
});
