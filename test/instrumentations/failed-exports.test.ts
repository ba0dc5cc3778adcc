/**
 * The harness sees the failed exports of runners whose SDK makes its own exporter (Langfuse's JSON exporter, OpenLIT's
 * trace and log exporters): the processor drops what a failed export held and only logs it, so the runner still ends
 * well and its report must list the failure. Each runner exports to a local stand-in for the service that refuses
 * the first trace export (HTTP 400, not retried) and takes the rest.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
// @ts-expect-error plain ESM helper of the harness
import { startFakeModel } from './lib/fake-model.mjs';

interface Outcome {
  code: number | null;
  report: { failedExports: Array<{ signal: string; items: number; names: string[]; error: string }> } | null;
  stderr: string;
}

let model: { baseUrl: string; close(): Promise<void> };
beforeAll(async () => {
  model = await startFakeModel();
});
afterAll(async () => {
  await model?.close();
});

/** A stand-in for the service: refuses the first trace export with 400, answers every other request 200. */
async function refusingFirstExport(): Promise<{ url: string; paths: string[]; close(): Promise<void> }> {
  const paths: string[] = [];
  let refused = false;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      paths.push(req.url ?? '');
      const refuse = !refused && (req.url ?? '').endsWith('/v1/traces');
      refused ||= refuse;
      res.writeHead(refuse ? 400 : 200, { 'content-type': 'application/json' });
      res.end(refuse ? '{"error":"refused by the test"}' : '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function runRunner(runner: string, serviceUrl: string, env: Record<string, string> = {}): Promise<Outcome> {
  const file = fileURLToPath(new URL(`./runners/${runner}.cjs`, import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      env: { ...process.env, MODEL_URL: model.baseUrl, SERVICE_URL: serviceUrl, ENCODING: 'json', RUN_ID: `failing-${runner}`, OTEL_SERVICE_NAME: 'weather-agent', NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      const line = out.trim().split('\n').reverse().find((l) => l.startsWith('{'));
      resolve({ code, report: line === undefined ? null : JSON.parse(line), stderr: err });
    });
  });
}

it("Langfuse's own JSON exporter: the refused export is in the report", async () => {
  const service = await refusingFirstExport();
  try {
    // Immediate mode sends each span as it ends: the refused one is an early span, the run goes on and ends well.
    const outcome = await runRunner('langfuse', service.url);
    expect(outcome.code, outcome.stderr.slice(-1500)).toBe(0);
    expect(outcome.report?.failedExports).toEqual([{ signal: 'traces', items: 1, names: [expect.any(String)], error: 'Bad Request' }]);
    expect(service.paths.filter((p) => p.endsWith('/v1/traces')).length).toBeGreaterThan(1);
  } finally {
    await service.close();
  }
});

it("OpenLIT's own trace exporter: the refused export is in the report, or the runner fails", async () => {
  const service = await refusingFirstExport();
  try {
    // Its batch processors export every 50 ms, so the first export (refused) is usually a timed one in the middle of
    // the run, which the SDK only logs; when it is the final flush instead, the flush rejects and the runner fails.
    const outcome = await runRunner('openlit', service.url, { OTEL_BSP_SCHEDULE_DELAY: '50', OTEL_BLRP_SCHEDULE_DELAY: '50' });
    if (outcome.code === 0) {
      expect(outcome.report?.failedExports.map((f) => [f.signal, f.error])).toEqual([['traces', 'Bad Request']]);
      expect(outcome.report!.failedExports[0]!.items).toBeGreaterThan(0);
    } else {
      expect(outcome.stderr).toMatch(/Bad Request/);
    }
  } finally {
    await service.close();
  }
});
