/**
 * Agent names as a reader sees them. A name comes from span attributes anyone with an exporter writes, and it scopes
 * keys, signals and every view: two names that differ only in characters nobody sees (zero-width, bidi controls,
 * controls, variation selectors, surrounding or odd white space), in Unicode composition (`é` as one code point or
 * as `e` and a combining accent) or in compatibility characters (full-width `ａｇｅｎｔ`, the ligature `ﬁ`, `ℌ`,
 * superscripts) would be two agents that look like one.
 */

/** Characters that show as nothing, or reorder what follows: controls, format characters, default-ignorables, separators. */
const INVISIBLE_CLASS = '[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Default_Ignorable_Code_Point}]';
const INVISIBLE = new RegExp(INVISIBLE_CLASS, 'gu');

/**
 * The one form of an agent's name: NFKC (compatibility characters as the plain ones they stand for), invisible
 * characters removed, each run of white space one space, no space at either end. `''` when nothing visible is left.
 */
export function agentName(raw: string): string {
  // NFKC first, as it makes white space and invisible characters of some compatibility characters (U+3000 and U+00A0
  // are a space, U+00A8 `¨` a space and a mark, U+FFA0 the Hangul filler), which the steps after remove. Then NFKC
  // again: removing an invisible character between a letter and its mark leaves them to compose. No compatibility
  // character is left by then, so the second pass only composes and makes no white space or invisible character:
  // the form is its own form (property-tested in agent-name.test.ts).
  return raw.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim().normalize('NFKC');
}

/**
 * Why `name` cannot name an agent an operator configures (a key, a signal), or undefined when it can: it must be in
 * the form {@link agentName} gives, which is the form names are stored in.
 */
export function agentNameProblem(name: string): string | undefined {
  const form = agentName(name);
  if (form === '') return 'has no visible character';
  if (form !== name) {
    return `${visibleName(name)} holds invisible characters, white space at an end or repeated, or compatibility characters (full-width, ligatures; it is not in Unicode NFKC form): agents are stored as "${visibleName(form)}", so it would name none, or look like another`;
  }
  return undefined;
}

/**
 * What {@link visibleName} escapes in a name: invisible characters, white space other than a single space between
 * words. Its source is the dashboard script's too (./../http/dashboard/client.ts).
 */
export const NAME_ESCAPES = new RegExp(`${INVISIBLE_CLASS}|(?! )\\s|^ | $| (?= )|(?<= ) `, 'gu');
/** {@link NAME_ESCAPES} and combining marks, for a name not in NFC form (its marks are what differs from the NFC one). */
export const NAME_ESCAPES_NOT_NFC = new RegExp(`${NAME_ESCAPES.source}|\\p{M}`, 'gu');

/** One character as visible text: `\xNN` up to U+00FF (as the CLI shows controls), else `\uNNNN` or `\u{NNNNN}`. */
export function escapedChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
}

/**
 * A stored name as shown to a person (dashboard, CLI): each character {@link NAME_ESCAPES} matches, and the combining
 * marks of a name not in NFC form, written as visible escapes, so two names that differ only there look different.
 * A name in the form {@link agentName} gives shows as it is.
 */
export function visibleName(name: string): string {
  return name.replace(name === name.normalize('NFC') ? NAME_ESCAPES : NAME_ESCAPES_NOT_NFC, escapedChar);
}

/** The counted warning of an ingest that stored `count` items under their agent's (or service's) name in its one form. */
export function renamedWarning(count: number, items: string): string {
  return `${count} ${items} named an agent or service with invisible characters, odd white space or compatibility characters (full-width, ligatures; not in Unicode NFKC form): stored under that name without them`;
}

/** What {@link visibleJson} escapes: JSON text has white space outside its strings only where a writer indents it. */
const JSON_ESCAPES = new RegExp(`${INVISIBLE_CLASS}|(?! )\\s`, 'gu');

/**
 * `value` as compact JSON text with every invisible character and every white space other than a space written as a
 * `\uNNNN` escape (a surrogate pair's two beyond U+FFFF): the same value to a JSON reader, and names that differ
 * only there look different to a person or a model reading the text (MCP tool results).
 */
export function visibleJson(value: unknown): string {
  return JSON.stringify(value).replace(JSON_ESCAPES, (c) => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''));
}

