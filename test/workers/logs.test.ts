/**
 * POST /v1/logs inside workerd (D1 store, through the Worker entry): GenAI events as OTLP log records, protobuf (gzip)
 * and JSON, joined to spans that arrived before them; the answers as OTLP asks.
 */
import { SELF } from 'cloudflare:test';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { hexToBytes } from '../../src/otlp/hex.js';
import { decodeExportTraceResponse } from '../../src/otlp/proto-response.js';

const ORIGIN = 'http://agent-signals.test';
const AGENT = 'workerd-logs';
const TRACE = '7a3c1f0e9b8d4c2a6e5f4d3c2b1a0f9e';
const ROOT = '1111222233334444';
const CHAT = '5555666677778888';
const NS = '1796580817864000000';
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** The contrib OpenAI instrumentation's spans: an app's invoke_agent span naming the session, a chat span with no content. */
const spans = {
  resourceSpans: [
    {
      resource: { attributes: [str('service.name', AGENT)] },
      scopeSpans: [
        {
          spans: [
            { traceId: TRACE, spanId: ROOT, name: `invoke_agent ${AGENT}`, startTimeUnixNano: NS, endTimeUnixNano: NS, attributes: [str('gen_ai.operation.name', 'invoke_agent'), str('gen_ai.agent.name', AGENT), str('gen_ai.conversation.id', 'wl-session')] },
            { traceId: TRACE, spanId: CHAT, parentSpanId: ROOT, name: 'chat gpt-4o-mini', startTimeUnixNano: NS, endTimeUnixNano: NS, attributes: [str('gen_ai.operation.name', 'chat'), str('gen_ai.request.model', 'gpt-4o-mini'), str('gen_ai.system', 'openai')] },
          ],
        },
      ],
    },
  ],
};

/** One `ExportLogsServiceRequest` (logs.proto field numbers) of service AGENT with GenAI events of the chat span, written by hand. */
function logsProtobuf(events: Array<[string, string, string]>): Uint8Array {
  const w = new BinaryWriter();
  w.tag(1, WireType.LengthDelimited).fork(); // resource_logs
  // resource { attributes: service.name }: records join only spans of their own service.
  w.tag(1, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).fork();
  w.tag(1, WireType.LengthDelimited).string('service.name').tag(2, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string(AGENT).join();
  w.join().join();
  w.tag(2, WireType.LengthDelimited).fork(); // scope_logs
  for (const [name, key, text] of events) {
    w.tag(2, WireType.LengthDelimited).fork(); // log_records
    w.tag(1, WireType.Bit64).fixed64(NS);
    w.tag(5, WireType.LengthDelimited).fork(); // body: AnyValue { kvlist_value }
    w.tag(6, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).fork();
    w.tag(1, WireType.LengthDelimited).string(key);
    w.tag(2, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string(text).join();
    w.join().join();
    w.join();
    w.tag(6, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string('event.name').tag(2, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string(name).join().join();
    w.tag(9, WireType.LengthDelimited).bytes(hexToBytes(TRACE));
    w.tag(10, WireType.LengthDelimited).bytes(hexToBytes(CHAT));
    w.join();
  }
  w.join().join();
  return w.finish();
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const post = (path: string, body: Uint8Array | string, type: string, encoding?: string) =>
  SELF.fetch(`${ORIGIN}${path}`, { method: 'POST', headers: { 'content-type': type, ...(encoding ? { 'content-encoding': encoding } : {}) }, body });

describe('POST /v1/logs in workerd', () => {
  it('joins protobuf (gzip) GenAI log records to spans stored before them; JSON partial success for a bad record', async () => {
    expect((await post('/v1/traces', JSON.stringify(spans), 'application/json')).status).toBe(200);
    const before = await SELF.fetch(`${ORIGIN}/v1/targets/session/wl-session?agent=${AGENT}`);
    expect(((await before.json()) as { messages: unknown[] }).messages).toEqual([]);

    const body = await gzip(logsProtobuf([['gen_ai.user.message', 'content', 'Where is my parcel?'], ['gen_ai.assistant.message', 'content', 'It left the depot this morning.']]));
    const res = await post('/v1/logs', body, 'application/x-protobuf', 'gzip');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    expect(decodeExportTraceResponse(new Uint8Array(await res.arrayBuffer()))).toEqual({});

    const after = await SELF.fetch(`${ORIGIN}/v1/targets/session/wl-session?agent=${AGENT}`);
    const target = (await after.json()) as { agent: string; messages: Array<{ from: string; value: string }> };
    expect(target.agent).toBe(AGENT);
    expect(target.messages.map((m) => [m.from, m.value])).toEqual([
      ['human', 'Where is my parcel?'],
      ['gpt', 'It left the depot this morning.'],
    ]);

    const bad = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: 'nope' }, { body: { stringValue: 'an application log line' } }] }] }] };
    const partial = await post('/v1/logs', JSON.stringify(bad), 'application/json');
    expect(partial.status).toBe(200);
    expect(await partial.json()).toEqual({ partialSuccess: { rejectedLogRecords: 1, errorMessage: expect.stringMatching(/traceId: expected a 32-digit hex id/) } });
  });
});
