/** The `signals analyze --otlp-out` cases (the built CLI in a child process), run on the sample and the corpus. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_CLI as CLI } from './built-cli.js';


interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string; doubleValue?: number };
}

/** Declares the cases over the conversations at `input`, whose reports must be `reportLines`. */
export function otlpOutCases(input: string, reportLines: string[]): void {
  describe('signals analyze --otlp-out', () => {
    it('writes one span per conversation with the reference quality, next to the JSONL reports', () => {
      const dir = mkdtempSync(join(tmpdir(), 'otlp-out-'));
      const otlp = join(dir, 'spans.otlp.jsonl');
      const reports = join(dir, 'reports.jsonl');
      const run = spawnSync(process.execPath, [CLI, 'analyze', input, '-o', reports, '--otlp-out', otlp, '--quiet', '--threads', '2'], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);

      const expected = reportLines.map((l) => JSON.parse(l));
      const spans = readFileSync(otlp, 'utf8')
        .trim()
        .split('\n')
        .flatMap((line) => JSON.parse(line).resourceSpans.flatMap((r: { scopeSpans: { spans: unknown[] }[] }) => r.scopeSpans.flatMap((s) => s.spans)));
      expect(spans).toHaveLength(expected.length);
      spans.forEach((span: { traceId: string; spanId: string; startTimeUnixNano: string; attributes: OtlpAttribute[] }, i: number) => {
        expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
        expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
        expect(span.startTimeUnixNano).toMatch(/^\d+$/);
        const attribute = (key: string) => span.attributes.find((a) => a.key === key)?.value;
        expect(attribute('gen_ai.conversation.id')?.stringValue).toBe(expected[i].id);
        expect(attribute('signals.quality')?.stringValue).toBe(expected[i].report.overall_quality);
        expect(typeof attribute('signals.quality_score')?.doubleValue).toBe('number');
      });
      // The JSONL output is still the expected reports: the extra consumer changes nothing.
      expect(readFileSync(reports, 'utf8')).toBe(`${reportLines.join('\n')}\n`);
    });

    it('fails with one line and exit code 2 when the file cannot be written', () => {
      const run = spawnSync(process.execPath, [CLI, 'analyze', input, '--otlp-out', '/nonexistent-dir/x.jsonl', '--quiet'], { encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^signals: \/nonexistent-dir\/x\.jsonl: cannot write/);
    });
  });
}
