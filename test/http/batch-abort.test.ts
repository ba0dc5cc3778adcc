/** A batch whose client disconnects stops being analyzed (it used to run on for ~29 s on a large body). */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';

const calls = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/records/analyze-record.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/records/analyze-record.js')>();
  return {
    ...original,
    analyzeRecord: (...args: Parameters<typeof original.analyzeRecord>) => {
      calls.count++;
      return original.analyzeRecord(...args);
    },
  };
});

const RECORDS = 20_000;
const line = JSON.stringify({ id: 'r', messages: [{ from: 'human', value: 'no, i meant the flight to paris on monday' }, { from: 'gpt', value: 'Let me check.' }] });

let server: NodeServer;
beforeAll(async () => {
  server = await startNodeServer(configFromEnv({ SIGNALS_MAX_BODY_BYTES: String(50 * 1024 * 1024) }), 0, '127.0.0.1');
});
afterAll(() => server.close());

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('POST /v1/analyze/batch when the client goes away', () => {
  it('stops analyzing soon after the disconnect', async () => {
    const body = `${line}\n`.repeat(RECORDS);
    await new Promise<void>((done, fail) => {
      const req = request(`${server.url}/v1/analyze/batch`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' } }, (res) => {
        res.once('data', () => {
          // The first report arrived: the batch is being analyzed. Hang up.
          req.destroy();
          done();
        });
      });
      req.on('error', () => undefined);
      req.once('error', fail);
      req.end(body);
    });
    await sleep(500);
    const afterDisconnect = calls.count;
    await sleep(1000);
    expect(calls.count - afterDisconnect).toBeLessThanOrEqual(1);
    expect(calls.count).toBeLessThan(RECORDS);
  });
});
