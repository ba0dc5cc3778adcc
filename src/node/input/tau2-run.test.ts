import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toConversations } from '../../formats/index.js';
import { inputSize, openInput } from './open-input.js';
import { isTau2RunDirectory, tau2RunDocument } from './tau2-run.js';

const RUN = fileURLToPath(new URL('../../../test/fixtures/traces/tau2-run', import.meta.url));

describe('tau2 run directories', () => {
  it('recognizes results.json + simulations/ and reads it as one tau document', async () => {
    expect(await isTau2RunDirectory(RUN)).toBe(true);
    expect(await isTau2RunDirectory(join(RUN, 'simulations'))).toBe(false);
    expect(await isTau2RunDirectory(join(RUN, 'results.json'))).toBe(false);
    const document = JSON.parse((await tau2RunDocument(RUN)).toString('utf8'));
    expect(document.simulations.map((s: { id: string }) => s.id)).toEqual(['sim-weather-0']);
    expect(toConversations(document).map((c) => [c.id, c.meta])).toEqual([['sim-weather-0', { task_id: 'weather_0', trial: 0, reward: 0 }]]);
  });

  it('is opened by signals analyze as one document', async () => {
    let bytes = 0;
    const opened = await openInput(RUN, (n) => (bytes += n));
    expect(opened.container).toBe('document');
    const chunks: Buffer[] = [];
    for await (const chunk of opened.chunks) chunks.push(chunk);
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8')).simulations).toHaveLength(1);
    expect(bytes).toBe(Buffer.concat(chunks).length);
    expect(await inputSize(RUN)).toBe(0);
    await expect(inputSize(join(RUN, 'simulations'))).rejects.toThrow('not a regular file');
  });

  it('names a file that is not JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tau2-'));
    await expect(tau2RunDocument(dir)).rejects.toThrow(`${join(dir, 'results.json')}: ENOENT`);
  });
});
