/**
 * JSON paths built lazily: each level links to its parent, and the text `resourceSpans[0].scopeSpans[1]...` is
 * made only when a problem is reported, so walking a large export costs no string building.
 */

/** One step of a path: an object key or an array index, linked to the step above it. */
export interface PathStep {
  readonly up: PathStep | undefined;
  readonly key: string | number;
}

/** The path of a child of `up` (`up` undefined: a top-level field). */
export function step(up: PathStep | undefined, key: string | number): PathStep {
  return { up, key };
}

/** `resourceSpans[0].scopeSpans[1].spans[2].name`; `$` for the document itself. */
export function pathText(path: PathStep | undefined): string {
  const keys: Array<string | number> = [];
  for (let at = path; at !== undefined; at = at.up) keys.push(at.key);
  let text = '';
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i];
    text += typeof key === 'number' ? `[${key}]` : text === '' ? key : `.${key}`;
  }
  return text === '' ? '$' : text;
}

/** A malformed OTLP export: `path` names the first problem found, `message` starts with it. */
export class OtlpShapeError extends Error {
  /** Where the problem is, as {@link pathText} writes it. */
  readonly path: string;

  constructor(path: PathStep | undefined, problem: string) {
    const where = pathText(path);
    super(`${where}: ${problem}`);
    this.name = 'OtlpShapeError';
    this.path = where;
  }
}
