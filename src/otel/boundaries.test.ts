import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

function openTelemetryImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"](@opentelemetry\/[^'"]+)['"]/g)].map((m) => m[1]);
}

describe('OpenTelemetry stays outside the core', () => {
  it('finds the core sources to check', () => {
    expect(sourceFiles(join(SRC, 'core')).length).toBeGreaterThan(0);
  });

  it.each(sourceFiles(join(SRC, 'core')).map((f) => [f.slice(SRC.length)]))('%s imports no @opentelemetry package', (file) => {
    expect(openTelemetryImports(join(SRC, file))).toEqual([]);
  });

  it.each([['otel/attributes.ts'], ['otel/otlp-types.ts']])('%s is pure (usable in Workers without the SDK)', (file) => {
    expect(openTelemetryImports(join(SRC, file))).toEqual([]);
  });

  it('recognizes an OpenTelemetry import, so the checks above can fail', () => {
    expect(openTelemetryImports(join(SRC, 'otel/processor.ts'))).toContain('@opentelemetry/api');
  });
});
