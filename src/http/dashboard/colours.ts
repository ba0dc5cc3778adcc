/**
 * Label colours shared by the server-drawn charts and the dashboard's chips, so one label has one colour on
 * every view: `yes` and `no` fixed and far apart, the labels of a `labels` signal by their order in the
 * definition, `undecided` and `error` neutral.
 */

/** `yes` (the signal holds) warm, `no` a cool slate: distinct in hue and in lightness. */
export const FIXED_COLOURS: Readonly<Record<string, string>> = Object.freeze({
  yes: '#d9480f',
  no: '#4c6ef5',
  undecided: '#adb5bd',
  error: '#343a40',
});

/** Colours of a `labels` signal's labels, by position (Tableau 10, readable on white). */
export const PALETTE: readonly string[] = Object.freeze([
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#59a14f',
  '#76b7b2',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#6b6ecf',
]);

/** The colour of label `value` for a signal whose labels are `labels` (in definition order). */
export function labelColour(value: string, labels: readonly string[]): string {
  const fixed = FIXED_COLOURS[value];
  if (fixed !== undefined) return fixed;
  const i = labels.indexOf(value);
  if (i >= 0) return PALETTE[i % PALETTE.length];
  // A value outside the current version's labels (an older version's): stable by name.
  let h = 0;
  for (let k = 0; k < value.length; k++) h = (h * 31 + value.charCodeAt(k)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

/** The label names of a definition, in order: `yes`, `no` for binary signals. */
export function definitionLabels(definition: { type: string; labels?: readonly { name: string }[] }): string[] {
  return definition.type === 'binary' ? ['yes', 'no'] : (definition.labels ?? []).map((l) => l.name);
}
