import { readFile } from 'node:fs/promises';
import { validateAlertRules } from '../../alerts/rule.js';
import { DefinitionError, formatProblem, loadConfig, type SignalsConfig } from '../../custom/config.js';
import type { SignalDefinition } from '../../custom/definition.js';
import { ServiceError, type SignalsApi } from '../../service/api.js';
import { diffDefinitions } from '../../service/local-api.js';
import { UsageError } from '../usage-error.js';
import { BACKEND_HELP, command, group, print, printJson } from './cli-kit.js';

const DEFAULT_FILE = 'signals.config.yaml';

/** One step of `signals config apply`. */
export interface PlanStep {
  kind: 'signal' | 'alert';
  name: string;
  action: 'create' | 'update' | 'unchanged' | 'exists';
  /** For `update`: one line per changed field. */
  changes?: string[];
}

/** The config file validated as a whole: signal definitions and alert rules, every problem with its path. */
async function readConfig(file: string): Promise<{ config: SignalsConfig; problems: string[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let config: SignalsConfig;
  try {
    config = loadConfig(text, file);
  } catch (err) {
    if (err instanceof DefinitionError) return { config: { providers: {}, signals: [], alerts: [] }, problems: err.problems.map(formatProblem) };
    throw err;
  }
  const alerts = validateAlertRules(config.alerts);
  const problems = alerts.ok ? [] : alerts.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
  return { config, problems };
}

/** What applying `config` would do against the service (`api`), in file order: signals first, then alerts. */
export async function planConfig(api: SignalsApi, config: SignalsConfig): Promise<PlanStep[]> {
  const steps: PlanStep[] = [];
  for (const def of config.signals) {
    let current: SignalDefinition | undefined;
    try {
      current = (await api.getSignal(def.name)).definition;
    } catch (err) {
      if (!(err instanceof ServiceError && err.code === 'not_found')) throw err;
    }
    if (current === undefined) steps.push({ kind: 'signal', name: def.name, action: 'create' });
    else {
      const changes = diffDefinitions(current, def);
      steps.push({ kind: 'signal', name: def.name, action: changes.length > 0 ? 'update' : 'unchanged', ...(changes.length > 0 ? { changes } : {}) });
    }
  }
  const existing = await api.listAlerts();
  for (const rule of config.alerts) {
    const name = String(rule.name);
    steps.push({ kind: 'alert', name, action: existing.some((a) => a.name === name) ? 'exists' : 'create' });
  }
  return steps;
}

function planText(steps: PlanStep[]): string {
  const sign = { create: '+', update: '~', unchanged: '=', exists: '=' } as const;
  const lines = steps.map((s) => {
    const head = `${sign[s.action]} ${s.kind} ${s.name}: ${s.action === 'exists' ? 'exists (alerts are not edited; pause it and create a new one)' : s.action}`;
    return [head, ...(s.changes ?? []).map((c) => `    ${c}`)].join('\n');
  });
  return lines.length === 0 ? 'nothing in the config' : lines.join('\n');
}

const validate = command({
  name: 'config validate',
  help: `Usage: signals config validate [FILE] [--json]

Checks a config file (default ${DEFAULT_FILE}): every signal definition and alert rule, each problem with its
path. Exit 0 when valid, 1 when not.

Options
  --json         {valid, signals, alerts, problems} as JSON

Examples
  signals config validate
  signals config validate deploy/signals.config.yaml --json`,
  args: [0, 1],
  async run({ values, positionals }) {
    const file = positionals[0] ?? DEFAULT_FILE;
    const { config, problems } = await readConfig(file);
    if (values.json) printJson({ valid: problems.length === 0, signals: config.signals.length, alerts: config.alerts.length, problems });
    else if (problems.length === 0) print(`${file}: valid, ${config.signals.length} signal(s), ${config.alerts.length} alert(s)`);
    else print([`${file}: ${problems.length} problem(s)`, ...problems.map((p) => `  ${p}`)].join('\n'));
    return problems.length === 0 ? 0 : 1;
  },
});

const apply = command({
  name: 'config apply',
  help: `Usage: signals config apply FILE [--dry-run] [--activate] [--json]

Makes the service match a config file, like kubectl apply: creates the signals it does not have, saves a new
version of those whose definition changed (the changes are printed), and creates missing alerts. Nothing is
deleted. --dry-run prints the plan and changes nothing.

Options
  --dry-run      show the plan only
  --activate     new signals start active (default draft)
  --json         the plan as JSON (PlanStep[])
${BACKEND_HELP}

Examples
  signals config apply signals.config.yaml --dry-run
  signals config apply signals.config.yaml --url https://signals.example.internal`,
  args: [1, 1],
  options: { 'dry-run': { type: 'boolean' }, activate: { type: 'boolean' } },
  async run({ values, positionals, backend }) {
    const file = positionals[0];
    const { config, problems } = await readConfig(file);
    if (problems.length > 0) throw new ServiceError('invalid', `${file} is not valid: ${problems.join('; ')} (signals config validate ${file})`);
    // The plan reads the signals and the alerts; applying it creates and edits signals (and creates alerts).
    const { api } = values['dry-run'] === true ? await backend('alerts', 'read') : await backend('change_signals', 'alerts', 'read');
    const steps = await planConfig(api, config);
    if (values['dry-run'] !== true) {
      for (const step of steps) {
        if (step.kind === 'signal') {
          const def = config.signals.find((s) => s.name === step.name)!;
          if (step.action === 'create') await api.createSignal({ definition: def, state: values.activate ? 'active' : 'draft' });
          else if (step.action === 'update') await api.editSignal(step.name, def);
        } else if (step.action === 'create') await api.createAlert(config.alerts.find((a) => String(a.name) === step.name));
      }
    }
    if (values.json) printJson(steps);
    else print(`${planText(steps)}\n${values['dry-run'] ? '(dry run: nothing changed)' : 'applied'}`);
    return 0;
  },
});

/** `signals config validate|apply`. */
export const runConfig = group(
  'config',
  `Usage: signals config <validate|apply> [FILE] [options]

Declarative set-up: a config file (${DEFAULT_FILE}) lists signals and alerts.

Commands
  validate [FILE]      check the file (exit 1 on a problem)
  apply FILE           create or version what it describes (--dry-run: the plan only)

Examples
  signals config validate
  signals config apply ${DEFAULT_FILE} --dry-run
`,
  { validate, apply },
);
