import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { otlpOutCases } from './helpers/cli-otlp-out-cases.js';
import { BUILT_CLI as CLI } from './helpers/built-cli.js';
import { libraryReportLines, SAMPLE } from './helpers/sample.js';

otlpOutCases(SAMPLE.sharegpt, libraryReportLines());

describe('signals analyze --otlp-out on an OTLP export', () => {
  it('puts each analysis span inside the source trace', async () => {
    const { otlpExport, E19_GENAI_MESSAGES, TRACE_ID } = await import('./http/fixtures.js');
    const dir = mkdtempSync(join(tmpdir(), 'otlp-out-'));
    const input = join(dir, 'export.otlp.json');
    const otlp = join(dir, 'spans.otlp.jsonl');
    writeFileSync(input, JSON.stringify(otlpExport(E19_GENAI_MESSAGES)) + '\n');
    const run = spawnSync(process.execPath, [CLI, 'analyze', input, '-o', join(dir, 'r.jsonl'), '--otlp-out', otlp, '--quiet'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const [span] = JSON.parse(readFileSync(otlp, 'utf8').trim()).resourceSpans[0].scopeSpans[0].spans;
    expect(span.traceId).toBe(TRACE_ID);
    // The conversation's only GenAI span: the LLM call under the HTTP root.
    expect(span.parentSpanId).toBe('5fb397be34d26b51');
  });
});
