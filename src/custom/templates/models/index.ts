import type { LearnedModel } from '../../learned/model.js';
import * as frustration from './frustration.js';
import * as jailbreak from './jailbreak.js';
import * as nsfw from './nsfw.js';
import * as refusal from './refusal.js';
import * as sentiment from './sentiment.js';
import * as taskOutcome from './task-outcome.js';

/** A template's shipped model: its default judge as chosen on dev, the cross-validated figures, the model. */
export interface TemplateModel {
  judge: 'rules' | 'learned';
  cv: { rules: number; learned: number };
  model: LearnedModel;
}

/**
 * The learned models shipped with the templates (trained on the dev label splits by scripts/train-templates.mjs;
 * hashed features and numbers only, see NOTICE), by template id; a definition names one as `template:ID`.
 */
export const TEMPLATE_MODELS: Record<string, TemplateModel> = {
  nsfw: nsfw as TemplateModel,
  jailbreak: jailbreak as TemplateModel,
  refusal: refusal as TemplateModel,
  frustration: frustration as TemplateModel,
  sentiment: sentiment as TemplateModel,
  'task-outcome': taskOutcome as TemplateModel,
};
