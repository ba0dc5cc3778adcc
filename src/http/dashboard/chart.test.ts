import { describe, expect, it } from 'vitest';
import type { DistributionBucket } from '../../service/api.js';
import { labelsChart } from './chart.js';
import { definitionLabels, FIXED_COLOURS, labelColour, PALETTE } from './colours.js';

const H = 3_600_000;
const T0 = Date.parse('2026-12-01T00:00:00Z');
const buckets: DistributionBucket[] = [
  { start: new Date(T0).toISOString(), counts: { yes: 2, no: 4 } },
  { start: new Date(T0 + H).toISOString(), counts: { no: 1 } },
  { start: new Date(T0 + 2 * H).toISOString(), counts: { yes: 1 } },
];

describe('labelsChart', () => {
  it('draws one row per value with a bar per non-empty bucket, scaled to the row peak', () => {
    const svg = labelsChart(buckets, H, [
      { value: 'yes', colour: '#d9480f' },
      { value: 'no', colour: '#4c6ef5' },
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('8 labels · 1h buckets · UTC');
    const yes = /<g data-value="yes">(.*?)<\/g>/.exec(svg)![1];
    const no = /<g data-value="no">(.*?)<\/g>/.exec(svg)![1];
    expect(yes.match(/<title>yes: \d+ at/g)).toHaveLength(2);
    expect(no.match(/<title>no: \d+ at/g)).toHaveLength(2);
    expect(yes).toContain('3 total');
    expect(yes).toContain('max 2');
    expect(no).toContain('max 4');
    // The tallest bar of a row fills the row (64 - 20 = 44 px); half the peak is half as tall.
    const heights = [...yes.matchAll(/height="([\d.]+)" fill="#d9480f"><title>/g)].map((m) => Number(m[1]));
    expect(heights).toEqual([44, 22]);
    expect(svg).toContain('>00:00</text>');
  });

  it("keeps a row's peak inside a phone-wide chart: right-aligned to its edge, large counts shortened", () => {
    const many: DistributionBucket[] = [
      { start: new Date(T0).toISOString(), counts: { a: 11, b: 1_950, c: 12_345 } },
      { start: new Date(T0 + H).toISOString(), counts: { a: 3, c: 2_500_000 } },
    ];
    const svg = labelsChart(many, H, ['a', 'b', 'c'].map((value) => ({ value, colour: '#000' })), { width: 390 });
    const peaks = [...svg.matchAll(/<text x="([\d.]+)" y="[\d.]+" text-anchor="end" fill="#555">max ([^<]*)<\/text>/g)].map((m) => [Number(m[1]), m[2]]);
    // Before, 'max 11' started 34 px from the edge of a 390 px chart and its last digit was cut off.
    expect(peaks).toEqual([[388, '11'], [388, '1.9k'], [388, '2.5M']]);
  });

  it('escapes label values and titles, and says when a window is empty', () => {
    const svg = labelsChart(buckets, H, [{ value: '<b>&"', colour: '#000' }], { title: 'a < b' });
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;&amp;&quot;');
    expect(svg).toContain('<title>a &lt; b</title>');
    expect(labelsChart(buckets, H, [])).toContain('No labels in this window.');
  });
});

describe('label colours', () => {
  it('gives yes and no fixed, different colours and labels their definition position', () => {
    expect(labelColour('yes', ['yes', 'no'])).toBe(FIXED_COLOURS.yes);
    expect(labelColour('no', ['yes', 'no'])).not.toBe(labelColour('yes', ['yes', 'no']));
    const labels = definitionLabels({ type: 'labels', labels: [{ name: 'success' }, { name: 'partial' }, { name: 'failure' }] });
    expect(labels).toEqual(['success', 'partial', 'failure']);
    expect(labels.map((l) => labelColour(l, labels))).toEqual([PALETTE[0], PALETTE[1], PALETTE[2]]);
    expect(definitionLabels({ type: 'binary' })).toEqual(['yes', 'no']);
    // A value no longer in the definition keeps one colour wherever it shows.
    expect(labelColour('gone', labels)).toBe(labelColour('gone', []));
  });
});
