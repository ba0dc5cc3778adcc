/**
 * Agent names as a reader sees them. A name comes from span attributes anyone with an exporter writes, and it scopes
 * keys, signals and every view: two names that differ only in characters nobody sees (zero-width, bidi controls,
 * controls, variation selectors, surrounding or odd white space), in Unicode composition (`é` as one code point or
 * as `e` and a combining accent) or in compatibility characters (full-width `ａｇｅｎｔ`, the ligature `ﬁ`, `ℌ`,
 * superscripts) would be two agents that look like one. Letters of scripts drawn alike (`pаypal` with a Cyrillic `а`)
 * cannot be folded into one name: such a name is refused where an operator types it and marked where it is shown.
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
 * Scripts whose letters are drawn alike: Latin `a o p c e x`, Cyrillic `а о р с е х`, Greek `ο ρ`, Armenian `օ ս`,
 * Cherokee `Ꭺ Ꮪ`. A name mixing their letters reads as another name; a name mixing other scripts (Latin and Japanese,
 * digits in any script) does not, so only these count.
 */
export const CONFUSABLE_SCRIPTS = ['Latin', 'Cyrillic', 'Greek', 'Armenian', 'Cherokee'] as const;
/**
 * Each script's letters. Script, not Script_Extensions: a letter has one Script, while Script_Extensions lists every
 * script that shares a mark or punctuation (U+0483 is Cyrillic and Old Permic), which would make marks count as letters.
 */
const SCRIPT_LETTERS = CONFUSABLE_SCRIPTS.map((script) => ({ script, letters: new RegExp(`\\p{Script=${script}}`, 'gu') }));

/**
 * The scripts of {@link CONFUSABLE_SCRIPTS} whose letters `name` holds, the one with most letters first (on a tie,
 * the one the name uses first): more than one is a name that can read as another (`pаypal`). Names in one script of
 * any kind (all Cyrillic, all Greek, CJK) give at most one.
 */
export function confusableScripts(name: string): string[] {
  return SCRIPT_LETTERS.map(({ script, letters }) => ({ script, count: name.match(letters)?.length ?? 0, first: name.search(letters) }))
    .filter((s) => s.count > 0)
    .sort((a, b) => b.count - a.count || a.first - b.first)
    .map((s) => s.script);
}

/** A character beyond ASCII, captured: marked when NFKC changes it alone (see {@link lookAlikeSource}). */
const FOLDABLE = '([^\\x00-\\x7f])';

/**
 * What makes `name` read as another name besides what nobody sees, as regex alternatives, or undefined when nothing
 * does: the letters of every script but its main one (see {@link confusableScripts}), and in a name not in NFKC form
 * (stored before names were folded: stored names are not migrated) each character beyond ASCII, captured, of which
 * {@link isLookAlike} marks those NFKC changes alone (`ｓ`, `ﬁ`, `µ`), not the `é` beside them.
 */
function lookAlikeSource(name: string): string | undefined {
  const sources = confusableScripts(name).slice(1).map((s) => `\\p{Script=${s}}`);
  if (name !== name.normalize('NFKC')) sources.push(FOLDABLE);
  return sources.length === 0 ? undefined : sources.join('|');
}

/** Whether a match is marked: anything but a captured {@link FOLDABLE} character NFKC leaves as it is (`foldable` is then a string). */
function isLookAlike(foldable: unknown): boolean {
  return typeof foldable !== 'string' || foldable.normalize('NFKC') !== foldable;
}

/**
 * What keeps `name` from naming an agent an operator configures, or undefined when nothing does: nothing visible,
 * not the form {@link agentName} gives (which is the form names are stored in), or letters of scripts drawn alike.
 */
export type AgentNameFault = { kind: 'empty' } | { kind: 'form'; form: string } | { kind: 'scripts'; scripts: string[] };

/** What keeps `name` from naming an agent (see {@link AgentNameFault}); each caller words it for its reader. */
export function agentNameFault(name: string): AgentNameFault | undefined {
  const form = agentName(name);
  if (form === '') return { kind: 'empty' };
  if (form !== name) return { kind: 'form', form };
  const scripts = confusableScripts(name);
  return scripts.length > 1 ? { kind: 'scripts', scripts } : undefined;
}

/**
 * Why `name` cannot name an agent an operator configures (a key, a signal), or undefined when it can: it must be in
 * the form {@link agentName} gives, which is the form names are stored in.
 */
export function agentNameProblem(name: string): string | undefined {
  const fault = agentNameFault(name);
  switch (fault?.kind) {
    case undefined:
      return undefined;
    case 'empty':
      return 'has no visible character';
    case 'form':
      return `${visibleName(name)} holds invisible characters, white space at an end or repeated, or compatibility characters (full-width, ligatures; it is not in Unicode NFKC form): agents are stored as "${visibleName(fault.form)}", so it would name none, or look like another`;
    case 'scripts':
      return `${visibleName(name)} mixes ${fault.scripts.join(' and ')} letters, which are drawn alike: it would read as another agent's name; write it in one script`;
  }
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
 * A stored name as shown to a person (dashboard, CLI): each character {@link NAME_ESCAPES} matches, the combining
 * marks of a name not in NFC form, the compatibility characters of a name not in NFKC form (`\uff53hop`), and the
 * letters of every script but the main one of a name mixing scripts drawn alike (`p\u0430ypal`), written as visible
 * escapes, so two names that differ only there look different. Ingest keeps a mixed-script name (it is the
 * exporter's data), so it is marked here. A name in the form {@link agentName} gives, in one script, shows as it is.
 */
export function visibleName(name: string): string {
  const escapes = name === name.normalize('NFC') ? NAME_ESCAPES : NAME_ESCAPES_NOT_NFC;
  const lookAlikes = lookAlikeSource(name);
  if (lookAlikes === undefined) return name.replace(escapes, escapedChar);
  // One pass over the name: escapes written by a first pass would hold Latin letters (`\u200b`) a second would read.
  return name.replace(new RegExp(`${escapes.source}|${lookAlikes}`, 'gu'), (c: string, foldable: unknown) => (isLookAlike(foldable) ? escapedChar(c) : c));
}

/** The counted warning of an ingest that stored `count` items under their agent's (or service's) name in its one form. */
export function renamedWarning(count: number, items: string): string {
  return `${count} ${items} named an agent or service with invisible characters, odd white space or compatibility characters (full-width, ligatures; not in Unicode NFKC form): stored under that name without them`;
}

/** What {@link visibleJson} escapes: JSON text has white space outside its strings only where a writer indents it. */
const JSON_ESCAPES = new RegExp(`${INVISIBLE_CLASS}|(?! )\\s`, 'gu');

/**
 * `value` as compact JSON text with every invisible character and every white space other than a space written as a
 * `\uNNNN` escape (a surrogate pair's two beyond U+FFFF), and in an `"agent"` member what makes the name read as
 * another (the letters of its odd scripts, compatibility characters): the same value to a JSON reader, and names that differ only there look
 * different to a person or a model reading the text (MCP tool results).
 */
export function visibleJson(value: unknown): string {
  return JSON.stringify(value).replace(AGENT_MEMBER, markedAgent).replace(JSON_ESCAPES, jsonEscape);
}

/** One character as JSON escapes: `\uNNNN`, a surrogate pair's two beyond U+FFFF. */
function jsonEscape(c: string): string {
  return Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
}

/**
 * An `"agent"` member's string in JSON text (each step one character or one escape: linear). Only agents' names are
 * marked: a message may mix scripts as prose does, and escaping its letters would make it unreadable.
 */
const AGENT_MEMBER = /("agent":)("(?:[^"\\]|\\.)*")/g;

/**
 * An `"agent"` member with what makes its name read as another ({@link lookAlikeSource}) written as `\uNNNN` escapes
 * (as {@link visibleName} marks it): the same value to a JSON reader. The escapes JSON.stringify wrote are kept as they
 * are, and the scripts are read from the name, not from its JSON text.
 */
function markedAgent(member: string, key: string, text: string): string {
  const lookAlikes = lookAlikeSource(JSON.parse(text) as string);
  if (lookAlikes === undefined) return member;
  // An escape is read whole: the hex digits of `\u000b` are Latin letters, the minority of a Cyrillic name.
  return key + text.replace(new RegExp(`\\\\(?:u[0-9a-fA-F]{4}|.)|${lookAlikes}`, 'gu'), (c: string, foldable: unknown) => (c.startsWith('\\') || !isLookAlike(foldable) ? c : jsonEscape(c)));
}

