import { judge } from './models/nsfw.js';
import type { Template } from './template.js';

// Explicit sexual vocabulary (English plus the most common French/Spanish/German/Italian terms): words that are
// sexual in nearly every use. Ambiguous words ("sex" in "same-sex", "naked eye") need a second explicit term.
const EXPLICIT =
  '\\b(porn\\w*|porno|xxx|nsfw|hentai|blowjobs?|handjobs?|masturbat\\w*|orgasm\\w*|erotic\\w*|dildos?|vibrators?|clit\\w*|pussy|pussies|cocks?|dicks?|penis\\w*|vagina\\w*|boobs?|tits|titties|nipples?|cum|cumming|cumshot\\w*|horny|sluts?|slutty|whores?|milfs?|bdsm|fetish\\w*|threesomes?|orgy|orgies|gangbang\\w*|anal|blow ?job|sexting|nudes|onlyfans|camgirls?|stripper\\w*|lingerie|fuck(ing|ed|s)?|sexe|sexo|sesso|pornos?|sperme?|baise\\w*|salope\\w*|chatte|bite|nackt|ficken|tetas|follar|culo|verga|pene|scopare)\\b';
const SUGGESTIVE = '\\b(sex|sexual\\w*|sexy|naked|nude|nudity|breasts?|bed|kiss\\w*|lust\\w*|seduc\\w*|aroused?|arousal|intimate|intimacy|undress\\w*|genitals?|thighs?|moan\\w*)\\b';

/** NSFW: sexual content in the target (any role). */
export const nsfw: Template = {
  id: 'nsfw',
  title: 'NSFW',
  definition: {
    name: 'nsfw',
    description: 'Sexual or sexually explicit content in the conversation.',
    agent: '*',
    scope: 'span',
    type: 'binary',
    prompt:
      'Answer "yes" if the conversation contains sexual content: explicit descriptions of sexual acts or body parts in a sexual context, ' +
      'pornographic material, sexual solicitation or services, or erotic role-play, from either side. Answer "no" for clean text, ' +
      'including non-sexual medical, educational or news mentions of sex, relationships or bodies.',
    // Chosen on the dev labels by grouped cross-validation (scripts/train-templates.mjs); the model ships either way.
    judge,
    learned: { model: 'template:nsfw' },
    rules: {
      when: [
        { name: 'explicit term', label: 'yes', if: { pattern: EXPLICIT, role: 'any' } },
        { name: 'two suggestive terms', label: 'yes', if: { pattern: `${SUGGESTIVE}.*${SUGGESTIVE}`, role: 'any' } },
      ],
      default: 'no',
    },
    sample_rate: 1,
  },
};
