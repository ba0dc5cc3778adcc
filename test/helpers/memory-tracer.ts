import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * A real SDK tracer whose finished spans are kept in memory; `wrap` puts a processor (e.g. SignalsSpanProcessor)
 * around the exporting one, as an application's SDK setup would.
 */
export function memoryTracer(wrap: (exporting: SpanProcessor) => SpanProcessor = (p) => p) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [wrap(new SimpleSpanProcessor(exporter))] });
  return {
    tracer: provider.getTracer('test'),
    async finishedSpans(): Promise<ReadableSpan[]> {
      await provider.forceFlush();
      return exporter.getFinishedSpans();
    },
    shutdown: () => provider.shutdown(),
  };
}
