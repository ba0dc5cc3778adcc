import { judge } from './models/frustration.js';
import type { Template } from './template.js';

/** Phrases of user frustration (general wording of complaints, repeated asks, giving up). */
export const FRUSTRATION_PHRASES = [
  'this is useless', "you're useless", 'you are useless', 'useless', 'not helpful', 'unhelpful', 'waste of time', 'wasting my time',
  'this is ridiculous', 'ridiculous', 'this is stupid', 'so annoying', 'annoying', 'frustrating', 'frustrated', 'i give up', 'forget it',
  'never mind', 'nevermind', 'i already told you', 'i already said', 'i just said', 'i told you', 'how many times', 'are you even listening',
  'you are not listening', "you're not listening", 'that is not what i asked', "that's not what i asked", 'not what i asked',
  'not what i wanted', 'that is wrong', "that's wrong", 'still not working', 'still wrong', 'doesnt work', "doesn't work",
  'does not work', 'ugh', 'argh', 'wtf', 'ffs', 'seriously', 'come on', 'terrible', 'awful', 'horrible', 'worst', 'hate',
  'boring', 'disappointed', 'disappointing', 'not interested', 'no thanks', 'no thank you', 'whatever', 'i guess',
];

const REJECTION =
  "^\\s*(no|nope|nah)\\b|\\b(not really|don'?t (really )?like|didn'?t (really )?like|not (a |really a |much of a )?fan|not (really )?(into|interested)|not my (thing|type|style)|doesn'?t (sound|seem) (good|interesting)|already (seen|watched|tried))\\b";

/** User frustration: the user shows annoyance, dissatisfaction or gives up. */
export const frustration: Template = {
  id: 'frustration',
  title: 'User frustration',
  definition: {
    name: 'frustration',
    description: 'The user gets frustrated or dissatisfied with the assistant.',
    agent: '*',
    scope: 'session',
    type: 'binary',
    prompt:
      'Answer "yes" if the user shows frustration or dissatisfaction with the assistant at any point: complaints, annoyance, ' +
      'repeating a request the assistant ignored, correcting it again and again, sarcasm, insults, or giving up. ' +
      'Answer "no" if the user stays neutral or satisfied, including polite disagreement that the assistant then handles.',
    // Chosen on the dev labels by grouped cross-validation (scripts/train-templates.mjs); the model ships either way.
    judge,
    learned: { model: 'template:frustration' },
    rules: {
      lists: { frustration: FRUSTRATION_PHRASES },
      when: [
        { name: 'frustrated wording', label: 'yes', if: { phrases: 'frustration' } },
        // Dissatisfaction often shows as turning suggestions down again and again rather than as complaints.
        { name: 'repeated rejections', label: 'yes', if: { pattern: REJECTION, min: 2 } },
        { name: 'built-in disengagement', label: 'yes', if: { expr: 'count("interaction.disengagement.*") >= 1' } },
        { name: 'repeated corrections', label: 'yes', if: { expr: 'count("interaction.misalignment.correction") >= 2' } },
        { name: 'shouting or repeated punctuation', label: 'yes', if: { pattern: '[!?]{3,}|\\b[A-Z]{4,}\\b.*\\b[A-Z]{4,}\\b', case_sensitive: true } },
      ],
      default: 'no',
    },
    sample_rate: 1,
  },
};
