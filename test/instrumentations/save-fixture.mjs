// node save-fixture.mjs RECORDING.json NAME PACKAGE@VERSION SCENARIO: keeps a recording's trace exports as a unit-test
// fixture (src/formats/traces/recorded/NAME.json), without anything of this machine (resource attributes other
// than the service and SDK names, stack traces).
import { readFileSync, writeFileSync } from 'node:fs';

const [file, name, pkg, scenario] = process.argv.slice(2);
const rec = JSON.parse(readFileSync(file, 'utf8'));
const keepResource = (a) => a.key === 'service.name' || a.key.startsWith('telemetry.sdk');
const clean = (attrs) => (attrs ?? []).filter((a) => a.key !== 'exception.stacktrace');
const exports = rec.exports
  .filter((e) => e.body && typeof e.body === 'object')
  .map((e) => {
    const body = structuredClone(e.body);
    for (const r of body.resourceSpans ?? body.resourceLogs ?? []) {
      if (r.resource) r.resource.attributes = (r.resource.attributes ?? []).filter(keepResource);
      for (const s of r.scopeSpans ?? []) for (const sp of s.spans) {
        sp.attributes = clean(sp.attributes);
        for (const ev of sp.events ?? []) ev.attributes = clean(ev.attributes);
      }
    }
    return { path: e.path, body };
  });
// Stack frames name files of this machine: keep the frame, not the path.
const text = JSON.stringify({ package: pkg, scenario, exports }).replace(/\/(?:work|root|home)\/[^\s"():]*/g, '/app/module.js');
if (/\/work\/|\/root\/|\/home\//.test(text)) throw new Error('a machine path is left in the fixture');
writeFileSync(new URL(`../../src/formats/traces/recorded/${name}.json`, import.meta.url), `${text}\n`);
console.log(name, text.length, 'bytes');
