/** Alert notifications (pure: Slack, webhook; email formatting only — the SMTP sender is in ./email.js, Node only). */
export { channelName, DEFAULT_MAX_ATTEMPTS, deliveryBackoff, sendNotification, type DeliverDeps, type DeliveryAttempt, type SendEmail } from './deliver.js';
export {
  dashboardLink,
  emailMessage,
  formatThreshold,
  formatValue,
  metricName,
  slackMessage,
  summary,
  webhookBody,
  type EmailMessage,
} from './format.js';
export { signatureHeader } from './sign.js';
export { channelVarProblem, channelVarProblems } from './channel-vars.js';
export { parseRecipientList, recipientProblem, recipientProblems } from './recipients.js';
