/**
 * The core runs unchanged in a browser: the built ES modules of `dist/core` are loaded by Debian's Chromium from
 * a loopback static server and analyze the bundled sample and generated awkward conversations (astral characters,
 * lone surrogates, capitals, long runs) into what the same core gives in Node.
 */
import { describe, expect, it } from 'vitest';
import { coreReportsInChromium } from '../helpers/core-in-chromium.js';
import { analyze, serializeReportLine } from '../../src/core/index.js';
import { libraryReportLines, sampleLines } from '../helpers/sample.js';

/** Awkward conversations built here: where a browser's string handling could differ from Node's. */
function awkward(): string[] {
  const texts = ['🙂🙃 no, I meant the 🚲 page', 'ＦＵＬＬＷＩＤＴＨ I GIVE UP', '\ud800 lone surrogate, thanks!', 'WHY?????!!!!! '.repeat(40), 'ß İ ǅ ﬁ that works', ''];
  return texts.map((text, i) =>
    JSON.stringify({
      id: `awkward-${i}`,
      messages: [
        { from: 'human', value: text },
        { from: 'gpt', value: text.toUpperCase() },
        { from: 'function_call', value: JSON.stringify({ name: 'lookup', arguments: { q: text } }) },
        { from: 'observation', value: `Error: ${text} timed out` },
        { from: 'human', value: text },
      ],
    }),
  );
}

describe('the core in Chromium', () => {
  it('gives the Node reports on the sample and on awkward conversations', async () => {
    const inputs = [...sampleLines('sharegpt'), ...awkward()];
    const expected = [
      ...libraryReportLines(),
      ...awkward().map((line) => {
        const row = JSON.parse(line);
        return serializeReportLine(row.id, analyze(row.messages));
      }),
    ];
    const actual = await coreReportsInChromium(inputs);
    expect(actual.userAgent).toContain('Chrome');
    expect(actual.lines).toHaveLength(expected.length);
    expect(actual.lines).toEqual(expected);
  });
});
