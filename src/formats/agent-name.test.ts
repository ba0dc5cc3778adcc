import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agentName, agentNameProblem, confusableScripts, visibleJson, visibleName } from './agent-name.js';

// Each of these looks like "shop" (or "café") to a reader: an exporter sending one must not make a second agent.
const LOOK_ALIKES: Array<[string, string]> = [
  ['shop\u200b', 'zero-width space'],
  ['sh\u200dop', 'zero-width joiner'],
  ['\u202eshop', 'right-to-left override'],
  ['shop\u2066', 'left-to-right isolate'],
  ['\ufeffshop', 'byte order mark'],
  ['sho\u00adp', 'soft hyphen'],
  ['shop\ufe0f', 'variation selector'],
  ['shop\u3164', 'Hangul filler'],
  ['shop\u{e0041}', 'tag character'],
  ['shop\u0007', 'control character'],
  ['shop\u2028', 'line separator'],
  [' shop', 'leading space'],
  ['shop\u00a0', 'no-break space'],
  ['\tshop\n', 'tab and newline'],
];

describe('agentName', () => {
  it.each(LOOK_ALIKES)('%j (%s) is "shop"', (raw) => {
    expect(agentName(raw)).toBe('shop');
  });

  it('writes each run of white space as one space and composes to NFC', () => {
    expect(agentName('support\u2003 \u00a0bot')).toBe('support bot');
    expect(agentName('cafe\u0301')).toBe('caf\u00e9');
    expect(agentName('caf\u00e9')).toBe('caf\u00e9');
    // A zero-width character between a letter and its accent: removed, then composed.
    expect(agentName('cafe\u200b\u0301')).toBe('caf\u00e9');
  });

  // Compatibility characters read as the plain letters they stand for: an exporter sending one must not make a second agent.
  it('folds compatibility characters (NFKC): full-width, ligatures, letter-like symbols, superscripts', () => {
    expect(agentName('\uff53\uff48\uff4f\uff50')).toBe('shop');
    expect(agentName('\ufb01nance')).toBe('finance');
    expect(agentName('\u210celp')).toBe('Help');
    expect(agentName('bot\u00b2')).toBe('bot2');
    expect(agentName('\u2460-shop')).toBe('1-shop');
    expect(agentName('\uff7c\uff6e\uff6f\uff8c\uff9f')).toBe('\u30b7\u30e7\u30c3\u30d7');
    // Folds to white space (ideographic space) or to a space and a mark (U+00A8), which the form then removes or trims.
    expect(agentName('shop\u3000bot')).toBe('shop bot');
    expect(agentName('\u00a8shop')).toBe('\u0308shop');
  });

  it('keeps names of any script as they are', () => {
    for (const name of ['shop', 'support bot', 'בוט-תמיכה', 'ボット', 'हिंदी', 'agent_7.prod', 'Straße']) expect(agentName(name)).toBe(name);
  });

  it('is empty for a name of nothing visible', () => {
    expect(agentName('\u200b \u202e\t')).toBe('');
  });

  it('gives a name that is its own form (any string)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'e', '\u0301', '\u00e9', ' ', '\u00a0', '\u200b', '\u202e', '\ufe0f', '\u3164', '\u0000', 'ß', 'ｓ', '\u{e0041}', '\u2003') }), (raw) => {
        const name = agentName(raw);
        expect(agentName(name)).toBe(name);
        expect(visibleName(name)).toBe(name);
      }),
    );
  });

  // NFKC makes white space, marks and invisible characters of some characters: the form must still be its own form.
  const FOLDING = ['\u00a8', '\u02dc', '\u3000', '\uffa0', '\ufb01', '\u1e9b', '\u017f', '\u0307', '\u0301', 'e', ' ', '\u200b', '\uff41', '\u00b5', '\u2126', '\u0345', '\u3131', '\uff9e', '\u30ab', '\u0f77'];
  it('gives a name that is its own form with compatibility characters, and any code point', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: fc.constantFrom(...FOLDING) }), fc.string({ unit: 'binary', maxLength: 12 })), (raw) => {
        const name = agentName(raw);
        expect(agentName(name)).toBe(name);
        expect(name).toBe(name.normalize('NFKC'));
        expect(name).toBe(name.trim());
      }),
      { numRuns: 2000 },
    );
  });
});

describe('agentNameProblem', () => {
  it('accepts a name in its stored form and refuses every look-alike, saying what it would be stored as', () => {
    expect(agentNameProblem('shop')).toBeUndefined();
    expect(agentNameProblem('caf\u00e9 bot')).toBeUndefined();
    for (const [raw] of LOOK_ALIKES) expect(agentNameProblem(raw), JSON.stringify(raw)).toContain('stored as "shop"');
    expect(agentNameProblem('cafe\u0301')).toContain('stored as "caf\u00e9"');
    expect(agentNameProblem('\u200b')).toBe('has no visible character');
    expect(agentNameProblem('\uff53hop')).toContain('not in Unicode NFKC form): agents are stored as "shop"');
    expect(agentNameProblem('\ufb01nance')).toContain('stored as "finance"');
  });

  it('refuses a name mixing Latin, Cyrillic or Greek letters, naming the scripts and marking the odd letters', () => {
    expect(agentNameProblem('p\u0430ypal')).toBe('p\\u0430ypal mixes Latin and Cyrillic letters, which are drawn alike: it would read as another agent\'s name; write it in one script');
    expect(agentNameProblem('sh\u03bfp')).toContain('mixes Latin and Greek letters');
    expect(agentNameProblem('\u0431\u0430\u043d\u043a-x')).toContain('mixes Cyrillic and Latin letters');
  });

  it('accepts a name in one script of any kind, and Latin beside scripts not drawn like it', () => {
    for (const name of ['paypal', '\u0431\u0430\u043d\u043a', '\u03c4\u03c1\u03ac\u03c0\u03b5\u03b6\u03b1', '\u65e5\u672c', '\u30dc\u30c3\u30c8', 'bot-\u30dc\u30c3\u30c8', '\u05d1\u05d5\u05d8', 'agent_7.prod', 'caf\u00e9']) {
      expect(agentNameProblem(name), name).toBeUndefined();
    }
  });
});

describe('confusableScripts', () => {
  it('lists the scripts drawn alike whose letters a name holds, most letters first, a tie in the order the name uses them', () => {
    expect(confusableScripts('paypal')).toEqual(['Latin']);
    expect(confusableScripts('p\u0430ypal')).toEqual(['Latin', 'Cyrillic']);
    expect(confusableScripts('\u0431\u0430\u043d\u043a')).toEqual(['Cyrillic']);
    expect(confusableScripts('\u0431a\u043d\u043a')).toEqual(['Cyrillic', 'Latin']);
    expect(confusableScripts('\u03b1a')).toEqual(['Greek', 'Latin']);
    expect(confusableScripts('a\u03b1\u0430')).toEqual(['Latin', 'Greek', 'Cyrillic']);
    expect(confusableScripts('\u65e5\u672c 42')).toEqual([]);
    expect(confusableScripts('bot-\u30dc\u30c3\u30c8')).toEqual(['Latin']);
  });
});

describe('visibleName', () => {
  it('writes what nobody sees in a stored name as escapes, so look-alikes look different', () => {
    expect(visibleName('shop\u200b')).toBe('shop\\u200b');
    expect(visibleName('\u202eshop')).toBe('\\u202eshop');
    expect(visibleName(' shop ')).toBe('\\x20shop\\x20');
    expect(visibleName('shop  bot')).toBe('shop\\x20\\x20bot');
    expect(visibleName('shop\u00a0bot')).toBe('shop\\xa0bot');
    expect(visibleName('shop\u{e0041}')).toBe('shop\\u{e0041}');
    expect(visibleName('bot\u001b[2J')).toBe('bot\\x1b[2J');
    // Not in NFC form: its combining marks show; the NFC name shows as it is.
    expect(visibleName('cafe\u0301')).toBe('cafe\\u0301');
    expect(visibleName('caf\u00e9')).toBe('caf\u00e9');
    expect(visibleName('support bot')).toBe('support bot');
  });

  it('writes the letters of every script but the main one of a mixed-script name as escapes, so it reads apart', () => {
    expect(visibleName('p\u0430ypal')).toBe('p\\u0430ypal');
    expect(visibleName('\u0431a\u043d\u043a')).toBe('\u0431\\x61\u043d\u043a');
    // With what nobody sees: one pass, so the escapes' own Latin letters are not escaped again.
    expect(visibleName('\u0431\u0430\u043d\u043a\u200bx')).toBe('\u0431\u0430\u043d\u043a\\u200b\\x78');
    for (const name of ['paypal', '\u0431\u0430\u043d\u043a', '\u03c4\u03c1\u03ac\u03c0\u03b5\u03b6\u03b1', 'bot-\u30dc\u30c3\u30c8']) expect(visibleName(name)).toBe(name);
  });

  // Stored before names were folded to NFKC (stored names are not migrated): a full-width "shop" is another agent.
  it('writes the compatibility characters of a name not in NFKC form as escapes, and nothing else of it', () => {
    expect(visibleName('\uff53\uff48\uff4f\uff50')).toBe('\\uff53\\uff48\\uff4f\\uff50');
    expect(visibleName('\ufb01nance')).toBe('\\ufb01nance');
    expect(visibleName('caf\u00e9 \u00b5s')).toBe('caf\u00e9 \\xb5s');
    expect(visibleName('\u30dc\u30c3\u30c8\uff7c')).toBe('\u30dc\u30c3\u30c8\\uff7c');
    expect(visibleName('\u212bngstr\u00f6m')).toBe('\\u212bngstr\u00f6m');
  });
});

describe('visibleJson', () => {
  it('escapes invisible characters and odd white space in JSON text that parses back to the same value', () => {
    const value = { agent: 'shop\u200b', other: '\u202eshop\u{e0041}', nbsp: 'a\u00a0b', plain: 'shop bot', text: 'line\nbreak' };
    const text = visibleJson(value);
    expect(text).toBe('{"agent":"shop\\u200b","other":"\\u202eshop\\udb40\\udc41","nbsp":"a\\u00a0b","plain":"shop bot","text":"line\\nbreak"}');
    expect(JSON.parse(text)).toEqual(value);
  });

  it("escapes the odd script's letters of a mixed-script agent's name, and no other text's", () => {
    const value = { items: [{ agent: 'p\u0430ypal', text: 'p\u0430ypal' }, { agent: '\u0431\u0430\u043d\u043a\u000b\"x' }, { agent: 'paypal' }, { agent: '\uff53hop\u00e9', text: '\uff53' }] };
    const text = visibleJson(value);
    expect(text).toBe('{"items":[{"agent":"p\\u0430ypal","text":"p\u0430ypal"},{"agent":"\u0431\u0430\u043d\u043a\\u000b\\\"\\u0078"},{"agent":"paypal"},{"agent":"\\uff53hop\u00e9","text":"\uff53"}]}');
    expect(JSON.parse(text)).toEqual(value);
  });
});
