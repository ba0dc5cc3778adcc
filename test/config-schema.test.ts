import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../src/custom/json-schema.js';

describe('schema/signals.config.schema.json', () => {
  it('is up to date with the zod schema (regenerate: npm run schema:config)', () => {
    const committed = readFileSync(new URL('../schema/signals.config.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  });

  it('describes the condition tree recursively and every judge kind', () => {
    const text = JSON.stringify(configJsonSchema());
    expect(text).toContain('"rules-then-llm"');
    expect(text).toContain('"api_key_env"');
    expect(text).toContain('"$ref"');
  });
});
