/**
 * The learned judge: hashed word and character n-grams (by role) plus built-in counts, multinomial logistic
 * regression with L2 fitted by L-BFGS, temperature-scaled probabilities; the model is a plain JSON object stored in
 * the signal version. Pure: Node, browsers and Workers.
 */
export { DEFAULT_FEATURES, extractFeatures, type FeatureSettings, type FeatureVector } from './features.js';
export { learnedModelSchema, loadModel, MODEL_FORMAT, probabilities, type LearnedModel, type TrainingSummary } from './model.js';
export { DEFAULT_FIT, fitModel, fitTemperature, inHeldout, logitsOf, type Example, type FitOptions } from './train.js';
export { judgeWithLearned, predict, type LearnedPrediction } from './judge-learned.js';
export { agreementOf, chooseThreshold, learnFromLabels, type CascadeChoice, type HeldoutAgreement, type LabelledTarget, type LearnOptions, type LearnResult } from './learn.js';
export { accuracy, groupBootstrap, groupedFolds, macroF1, random } from './cv.js';
