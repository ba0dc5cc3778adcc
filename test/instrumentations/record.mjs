// node record.mjs RUNNER [ENV=VALUE...]: runs a runner (JSON encoding) against the fake model and a recorder, and
// prints every export it sent, for looking at what a package really exports.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { startFakeModel } from './lib/fake-model.mjs';
import { startCapture } from './lib/capture.mjs';

const [runner, ...pairs] = process.argv.slice(2);
const model = await startFakeModel();
const capture = await startCapture();
const extra = Object.fromEntries(pairs.map((p) => p.split(/=(.*)/s).slice(0, 2)));
const child = await new Promise((resolve) => {
  import('node:child_process').then(({ spawn }) => {
    const c = spawn(process.execPath, [new URL(`./runners/${runner}.cjs`, import.meta.url).pathname], {
      env: { ...process.env, MODEL_URL: model.baseUrl, SERVICE_URL: capture.url, ENCODING: 'json', RUN_ID: 'rec', ...extra },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('close', (code) => resolve({ code, out }));
  });
});
await new Promise((r) => setTimeout(r, 300));
const file = `/tmp/rec-${runner}${extra.RESPONSES ? '-responses' : ''}.json`;
writeFileSync(file, JSON.stringify({ code: child.code, out: child.out, exports: capture.bodies, model: model.requests }, null, 1));
console.log(file, child.code, child.out.slice(0, 300), capture.bodies.length, 'exports');
await model.close();
await capture.close();
