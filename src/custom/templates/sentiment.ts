import { judge } from './models/sentiment.js';
import type { Template } from './template.js';

// General emotion vocabulary. Negated positives ("not good") count as negative and are checked first.
const NEGATED_POSITIVE = "\\b(not|never|isn'?t|wasn'?t|don'?t|didn'?t|doesn'?t|no longer)\\s+(really\\s+|very\\s+|that\\s+|so\\s+|too\\s+)?(good|great|happy|glad|fun|funny|nice|interesting|like|love|enjoy\\w*|helpful|impressed|fan)\\b";
const NEGATIVE =
  "\\b(hate[sd]?|hating|awful|terrible|horrible|worst|bad|sad|sadly|upset|angry|annoy\\w*|disappoint\\w*|depress\\w*|frustrat\\w*|boring|bored|sucks?|stupid|ridiculous|useless|disgust\\w*|gross|scary|scared|afraid|fear\\w*|unfortunate(ly)?|tragic|crap|lame|worse|dislike[sd]?|shame|sorry to hear|ugh|meh|died|dead|death|killed|war)\\b";
const POSITIVE =
  "\\b(love[sd]?|loving|great|awesome|amazing|wonderful|excellent|fantastic|perfect|happy|glad|enjoy\\w*|fun|funny|cool|nice|beautiful|brilliant|favou?rite|interesting|fascinating|impressive|thanks?|thank you|appreciate\\w*|excited|exciting|lol|haha\\w*|yay|wow|good|best|like)\\b|:\\)|:D|!\\s*$";

/** Sentiment of the user: positive, neutral or negative, weighted to how the conversation ends. */
export const sentiment: Template = {
  id: 'sentiment',
  title: 'Sentiment',
  definition: {
    name: 'sentiment',
    description: "The user's sentiment, as their last message shows it.",
    agent: '*',
    scope: 'session',
    type: 'labels',
    labels: [
      { name: 'positive', description: 'The user is pleased, enthusiastic, grateful or amused.' },
      { name: 'neutral', description: 'Matter-of-fact, no clear emotion either way.' },
      { name: 'negative', description: 'The user is annoyed, disappointed, sad, angry or afraid.' },
    ],
    prompt:
      "Classify the user's sentiment as positive, neutral or negative, judging mostly by their latest message (the conversation " +
      'before it is context). Negative: annoyed, disappointed, sad, angry, afraid or dismissive. Positive: pleased, enthusiastic, ' +
      'grateful or amused. Neutral: factual or mixed with no clear lean.',
    // Chosen on the dev labels by grouped cross-validation (scripts/train-templates.mjs); the model ships either way.
    judge,
    learned: { model: 'template:sentiment' },
    rules: {
      when: [
        { name: 'negated positive in the last user message', label: 'negative', if: { pattern: NEGATED_POSITIVE, where: 'last' } },
        { name: 'negative words in the last user message', label: 'negative', if: { pattern: NEGATIVE, where: 'last' } },
        { name: 'positive words in the last user message', label: 'positive', if: { pattern: POSITIVE, where: 'last' } },
        { name: 'built-in disengagement', label: 'negative', if: { expr: 'count("interaction.disengagement.*") >= 1' } },
      ],
      default: 'neutral',
    },
    sample_rate: 1,
  },
};
