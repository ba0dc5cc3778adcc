import { describe, expect, it } from 'vitest';

// The package's `exports` map, resolved through its own name (Node self-reference), against the built `dist/`.
describe('package exports', () => {
  it.each([
    ['agent-signals', ['analyze', 'serializeReport', 'serializeReportLine', 'SIGNAL_TYPES', 'DEFAULT_OPTIONS', 'toConversations', 'detectFormat']],
    ['agent-signals/core', ['analyze', 'serializeReport', 'SIGNAL_TYPES', 'createAnalyzer', 'AnalyzerCache']],
    ['agent-signals/formats', ['toConversations', 'detectFormat', 'openAIToMessages', 'FormatError']],
    ['agent-signals/triage', ['triageScore', 'BudgetSampler', 'keepAtRate', 'auroc']],
    ['agent-signals/otel', ['annotateSpan', 'SignalsSpanProcessor', 'signalSpanAttributes', 'createOtlpFileWriter']],
    ['agent-signals/http', ['createApp']],
    ['agent-signals/otlp', ['decodeExportTraceRequest', 'encodeExportTraceRequest', 'validateExport', 'encodeExportTraceResponse']],
    ['agent-signals/alerts', ['alertRuleSchema', 'evaluateAlert', 'backtest', 'backtestChart', 'sendNotification', 'initialAlertState']],
    ['agent-signals/alerts/email', ['createSmtpSender']],
    ['agent-signals/custom', ['judge', 'testSignal', 'loadConfig', 'TEMPLATES', 'sampleUnit', 'keep', 'compilePattern']],
  ])('%s', async (specifier, names) => {
    const module = await import(/* @vite-ignore */ specifier);
    for (const name of names) expect(module[name], `${specifier} exports ${name}`).toBeDefined();
  });

  it('the root entry analyzes a conversation in any supported format', async () => {
    const { analyze, toConversations } = await import(/* @vite-ignore */ 'agent-signals');
    const [conversation] = toConversations({ id: 'x', messages: [{ role: 'user', content: 'forget it' }] });
    expect(analyze(conversation.messages).overall_quality).toBe('severe');
  });
});
