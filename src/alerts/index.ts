/**
 * Alerts on signal labels: the rule schema, the pure evaluation shared by live checks and backtests, and the
 * backtest chart. Notifications are in ./notify (pure) and ./notify/email.js (SMTP, Node only).
 */
export { formatDuration, parseDuration } from './duration.js';
export {
  alertRuleSchema,
  AlertRuleError,
  channelSchema,
  parseAlertRule,
  resolveAlertRule,
  validateAlertRule,
  validateAlertRules,
  type AlertRule,
  type AlertRuleInput,
  type AlertRuleProblem,
  type ChannelConfig,
  type ResolvedAlertRule,
} from './rule.js';
export { conditionHolds, indexLabels, measure, type AlertLabel, type LabelIndex, type Measurement, type WindowMeasure } from './metric.js';
export {
  initialAlertState,
  stepAlert,
  type AlertNotification,
  type AlertState,
  type AlertStateName,
  type AlertTransition,
  type StepResult,
} from './state.js';
export { evaluateAlert, labelsNeeded, type Evaluation } from './evaluate.js';
export { backtest, backtestSteps, downsampleSteps, evaluationTimes, MAX_EVALUATIONS, type BacktestResult, type SeriesBucket, type SeriesPoint } from './backtest.js';
export { backtestChart, backtestChartSteps, type BacktestChartOptions } from './backtest-chart.js';
export { alertLabelsFromRows, type StoredLabelLike } from './labels.js';
export * from './notify/index.js';
