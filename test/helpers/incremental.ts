import { expect } from 'vitest';
import { analyze, createAnalyzer, serializeReport, type Analyzer, type AnalyzeOptions, type Message } from '../../src/core/index.js';

/**
 * Appends the rows one at a time (resuming from a JSON round trip of the snapshot before the rows in `resumeAt`)
 * and checks that the report after row i is the batch report of rows 0..i, byte for byte, for every i that
 * `check` accepts (default: every prefix).
 */
export function expectPrefixesMatch(
  messages: readonly Message[],
  options: AnalyzeOptions | undefined,
  resumeAt: ReadonlySet<number> = new Set(),
  check: (i: number) => boolean = () => true,
): void {
  let analyzer: Analyzer = createAnalyzer(options);
  messages.forEach((message, i) => {
    if (resumeAt.has(i)) analyzer = createAnalyzer(options, JSON.parse(JSON.stringify(analyzer.snapshot())));
    analyzer.append(message);
    expect(analyzer.size).toBe(i + 1);
    if (check(i)) expect(serializeReport(analyzer.report()), `after row ${i}`).toBe(serializeReport(analyze(messages.slice(0, i + 1), options)));
  });
}
