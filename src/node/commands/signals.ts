import { readFile } from 'node:fs/promises';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import type { SignalDefinition } from '../../custom/definition.js';
import type { CreateSignalInput, SignalDetail, SignalState } from '../../service/api.js';
import { UsageError } from '../usage-error.js';
import { formatJudgeReport } from './review.js';
import { BACKEND_HELP, command, counts, num, print, printJson, str, table, type CommandContext } from './cli-kit.js';
import { visibleName } from '../../formats/agent-name.js';

/** Reads a definition file (YAML or JSON): one definition, or a config whose `signals` list holds exactly one. */
export async function readDefinitionFile(file: string): Promise<Partial<SignalDefinition>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new UsageError(`${file}: not valid YAML/JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof data === 'object' && data !== null && Array.isArray((data as { signals?: unknown }).signals)) {
    const list = (data as { signals: unknown[] }).signals;
    if (list.length !== 1) throw new UsageError(`${file}: holds ${list.length} signals; use signals config apply for several`);
    data = list[0];
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UsageError(`${file}: a signal definition is a YAML/JSON object`);
  return data as Partial<SignalDefinition>;
}

/** The values a definition flag may take, where they are a fixed set. */
const FLAG_CHOICES: Partial<Record<string, readonly string[]>> = {
  scope: ['span', 'trace', 'session'],
  type: ['binary', 'labels'],
  judge: ['llm', 'rules', 'rules-then-llm', 'learned', 'learned-then-llm'],
};

/** The definition fields given as flags (`--prompt`, `--rule LABEL=PATTERN`, …); only those set. */
function definitionFlags(values: CommandContext['values']): Partial<SignalDefinition> {
  const out: Record<string, unknown> = {};
  for (const key of ['name', 'description', 'agent', 'scope', 'type', 'prompt', 'judge'] as const) {
    const v = str(values, key);
    if (v === undefined) continue;
    // A flag with a fixed set of values is a usage error (exit 2) when it has another, not a definition problem.
    const allowed = FLAG_CHOICES[key];
    if (allowed && !allowed.includes(v)) throw new UsageError(`--${key}: ${allowed.join(', ')}, got "${v}"`);
    out[key] = v;
  }
  const rate = num(values, 'sample-rate');
  if (rate !== undefined) out.sample_rate = rate;
  const labels = str(values, 'labels');
  if (labels !== undefined) {
    out.labels = labels.split(',').map((name) => ({ name: name.trim() })).filter((l) => l.name !== '');
    out.type ??= 'labels';
  }
  const provider = str(values, 'provider');
  const model = str(values, 'model');
  if (provider !== undefined || model !== undefined) out.llm = { ...(provider === undefined ? {} : { provider }), ...(model === undefined ? {} : { model }) };
  const rules = (values.rule as string[] | undefined) ?? [];
  const fallback = str(values, 'default');
  if (rules.length > 0 || fallback !== undefined) {
    out.rules = {
      when: rules.map((r) => {
        const eq = r.indexOf('=');
        if (eq < 1) throw new UsageError(`--rule: LABEL=PATTERN (a regular expression), got "${r}"`);
        return { label: r.slice(0, eq), if: { pattern: r.slice(eq + 1) } };
      }),
      default: fallback ?? 'undecided',
    };
  }
  return out as Partial<SignalDefinition>;
}

const DEFINITION_OPTIONS = {
  name: { type: 'string' },
  description: { type: 'string' },
  agent: { type: 'string' },
  scope: { type: 'string' },
  type: { type: 'string' },
  prompt: { type: 'string' },
  judge: { type: 'string' },
  labels: { type: 'string' },
  'sample-rate': { type: 'string' },
  provider: { type: 'string' },
  model: { type: 'string' },
  rule: { type: 'string', multiple: true },
  default: { type: 'string' },
  file: { type: 'string', short: 'f' },
} as const;

const DEFINITION_HELP = `  -f, --file FILE       a definition (YAML or JSON; or a config with one signal)
  --name NAME           signal name (lowercase, digits, - _ .)
  --agent AGENT         the agent whose traffic it labels (default *)
  --scope KIND          span, trace or session (default session)
  --type TYPE           binary (yes/no) or labels (default: labels when --labels is given)
  --labels A,B,C        2 to 10 labels (default: yes/no)
  --prompt TEXT         what the judge decides
  --judge KIND          llm, rules or rules-then-llm (default llm; rules with --rule)
  --provider NAME       the operator's LLM provider (default: default; see signals providers)
  --model MODEL         a model other than the provider's
  --rule LABEL=REGEX    a rule: this label when the pattern matches (repeatable, in order)
  --default LABEL       the label when no rule matches (default undecided)
  --sample-rate R       share of traffic labelled, above 0 and at most 1`;

function describe(s: SignalDetail): string {
  return [
    `${s.name} (${s.id})`,
    `  state      ${s.state}`,
    ...(s.heldByDayCap === undefined ? [] : [`  held       by its day cap until ${new Date(s.heldByDayCap.until).toISOString()}: ${s.heldByDayCap.reason}`]),
    `  version    ${s.version}`,
    `  agent      ${visibleName(s.agent)}`,
    `  scope      ${s.scope}`,
    `  type       ${s.type}`,
    `  labelled   ${s.labelled} targets`,
    `  last 24h   ${counts(s.last24h)}`,
    `  updated    ${s.updatedAt}`,
    '',
    toYaml(s.definition).trimEnd(),
  ].join('\n');
}

/** `signals list`. */
export const runList = command({
  name: 'list',
  help: `Usage: signals list [--all] [--agent AGENT] [--json]

Lists the signals with state, version, scope, type, labelled targets and labels of the last 24 hours.

Options
  --all          include archived signals
  --agent AGENT  only signals of this agent
  --json         the list as JSON (SignalSummary[])
${BACKEND_HELP}

Examples
  signals list
  signals list --agent ridgeline-support --json
  signals list --url http://127.0.0.1:8787`,
  options: { all: { type: 'boolean' }, agent: { type: 'string' } },
  async run({ values, backend }) {
    const { api } = await backend('read');
    const list = await api.listSignals({ includeArchived: values.all === true, agent: str(values, 'agent') });
    if (values.json) printJson(list);
    else if (list.length === 0) print('no signals (create one: signals create --template frustration)');
    else {
      const rows = list.map((s) => [s.name, s.heldByDayCap === undefined ? s.state : `${s.state}, held by day cap`, `v${s.version}`, s.scope, s.type, visibleName(s.agent), String(s.labelled), counts(s.last24h)]);
      process.stdout.write(table(['NAME', 'STATE', 'VERSION', 'SCOPE', 'TYPE', 'AGENT', 'LABELLED', 'LAST 24H'], rows));
    }
    return 0;
  },
});

/** `signals show NAME`. */
export const runShow = command({
  name: 'show',
  help: `Usage: signals show NAME [--json]

Shows a signal (by name or id): state (and its own day cap, while that holds its LLM work), version, headline
numbers, its current definition (YAML) and, per version, labels per judge, the LLM's share, the cost saved per
1,000 targets and agreement with reviewers.

Options
  --json         the signal as JSON (SignalDetail)
${BACKEND_HELP}

Examples
  signals show frustration
  signals show sig_0123 --json`,
  args: [1, 1],
  async run({ values, positionals, backend }) {
    const { api } = await backend('read');
    const signal = await api.getSignal(positionals[0]);
    if (values.json) printJson(signal);
    else print(`${describe(signal)}\n\n${formatJudgeReport(await api.judges(signal.id))}`);
    return 0;
  },
});

/** `signals create`. */
export const runCreate = command({
  name: 'create',
  help: `Usage: signals create NAME --prompt TEXT [--labels A,B,C] [--scope KIND] [--agent A] [--provider P] [--model M]
                      [--sample-rate R] [--activate]
       signals create [NAME] (--template ID | --file FILE) [definition flags] [--activate]

Creates a signal, version 1, as a draft (or active with --activate). A name and a prompt are enough: the
operator's LLM judges each target (the default provider, SIGNALS_LLM_*, unless --provider names another; see
signals providers), yes/no unless --labels are given, per session (traffic without a session id is judged per
trace). A template or a definition file prefills the fields; flags override them. --rule makes a rules judge.

Options
  --template ID         a template: nsfw, jailbreak, refusal, frustration, sentiment, task-outcome
${DEFINITION_HELP}
  --activate            start labelling new traffic at once
  --json                print the new signal as JSON
${BACKEND_HELP}

Examples
  signals create refund --prompt "Does the user ask for a refund?" --activate
  signals create intent --prompt "What does the user want?" --labels billing,bug,how-to,other --scope trace
  signals create --template task-outcome --agent ridgeline-support
  signals create --file refund.yaml --activate
  signals create refund-rules --scope trace --prompt "Asks for a refund" --rule 'yes=\\brefund\\b' --default no`,
  args: [0, 1],
  options: { ...DEFINITION_OPTIONS, template: { type: 'string' }, activate: { type: 'boolean' } },
  async run({ values, positionals, backend }) {
    const template = str(values, 'template');
    const file = str(values, 'file');
    if (template !== undefined && file !== undefined) throw new UsageError('give --template or --file, not both');
    const name = positionals[0];
    if (name !== undefined && str(values, 'name') !== undefined && str(values, 'name') !== name) throw new UsageError(`two names: "${name}" and --name ${str(values, 'name')}`);
    const flags = definitionFlags(values);
    if (name !== undefined) flags.name = name;
    const input: CreateSignalInput = { state: values.activate ? 'active' : 'draft' };
    if (template !== undefined) {
      input.template = template;
      if (Object.keys(flags).length > 0) input.overrides = flags;
    } else if (file !== undefined) input.definition = { ...(await readDefinitionFile(file)), ...flags } as SignalDefinition;
    else if (Object.keys(flags).length === 0) throw new UsageError('give NAME --prompt TEXT, --template ID or --file FILE');
    else if (flags.name === undefined) throw new UsageError('name the signal: signals create NAME --prompt TEXT');
    else if (flags.prompt === undefined) throw new UsageError('give --prompt TEXT (what the judge decides), or --template ID or --file FILE');
    else {
      // From flags alone: the plain-language defaults (session scope; LLM judge unless rules are given).
      input.definition = { scope: 'session', type: flags.labels ? 'labels' : 'binary', judge: flags.rules ? 'rules' : 'llm', ...flags } as SignalDefinition;
    }
    const signal = await (await backend('change_signals')).api.createSignal(input);
    if (values.json) printJson(signal);
    else print(`created ${signal.name} version ${signal.version}, ${signal.state}: ${signal.scope} scope, ${signal.type === 'binary' ? 'yes/no' : labelList(signal.definition)}, judge ${judgeLine(signal.definition)}`);
    return 0;
  },
});

function labelList(d: SignalDefinition): string {
  return `labels ${(d.labels ?? []).map((l) => l.name).join(', ')}`;
}

function judgeLine(d: SignalDefinition): string {
  // The rules and the learned model run locally: no provider to name.
  if (d.judge === 'rules' || d.judge === 'learned') return d.judge;
  const llm = (d.llm ?? {}) as { provider?: string; model?: string };
  return `${d.judge} (provider ${llm.provider ?? 'default'}${llm.model ? `, model ${llm.model}` : ''})`;
}

/** `signals edit NAME`. */
export const runEdit = command({
  name: 'edit',
  help: `Usage: signals edit NAME (--file FILE | definition flags) [--json]

Changes a signal: a new version with the changed fields (the current version powers live labelling, older
labels keep theirs) and prints what changed, one line per field. The scope cannot change.

Options
${DEFINITION_HELP}
  --json                print {signal, changes} as JSON
${BACKEND_HELP}

Examples
  signals edit frustration --sample-rate 0.25
  signals edit refund --file refund.yaml`,
  args: [1, 1],
  options: DEFINITION_OPTIONS,
  async run({ values, positionals, backend }) {
    const file = str(values, 'file');
    const patch = { ...(file === undefined ? {} : await readDefinitionFile(file)), ...definitionFlags(values) };
    if (Object.keys(patch).length === 0) throw new UsageError('nothing to change: give --file or a definition flag');
    const { api } = await backend('change_signals');
    // --provider / --model change those two fields of the llm section and keep its caps.
    if (file === undefined && patch.llm !== undefined) patch.llm = { ...(await api.getSignal(positionals[0])).definition.llm, ...patch.llm };
    const { signal, changes } = await api.editSignal(positionals[0], patch);
    if (values.json) printJson({ signal, changes });
    else if (changes.length === 0) print(`${signal.name}: no change, still version ${signal.version}`);
    else print([`${signal.name}: version ${signal.version}`, ...changes.map((c) => `  ~ ${c}`)].join('\n'));
    return 0;
  },
});

function stateCommand(name: string, state: SignalState, what: string): (argv: string[]) => Promise<number> {
  return command({
    name,
    help: `Usage: signals ${name} NAME [--json]

${what}

Options
  --json         print the signal as JSON
${BACKEND_HELP}

Examples
  signals ${name} frustration`,
    args: [1, 1],
    async run({ values, positionals, backend }) {
      const signal = await (await backend('change_signals')).api.setState(positionals[0], state);
      if (values.json) printJson(signal);
      else print(`${signal.name} is ${signal.state} (version ${signal.version})`);
      return 0;
    },
  });
}

/** `signals activate NAME`. */
export const runActivate = stateCommand('activate', 'active', 'Activates a signal: its current version labels new traffic as it arrives.');
/** `signals disable NAME`. */
export const runDisable = stateCommand('disable', 'disabled', 'Pauses a signal: no new labels; its labels are kept.');
/** `signals archive NAME`. */
export const runArchive = stateCommand('archive', 'archived', 'Stops a signal and hides it from lists (signals list --all shows it); its labels are kept.');

/** `signals restore NAME`. */
export const runRestore = stateCommand('restore', 'disabled', 'Brings an archived signal back, disabled (signals activate NAME starts it again); its labels are kept.');

/** `signals versions NAME`. */
export const runVersions = command({
  name: 'versions',
  help: `Usage: signals versions NAME [--json]

Lists the versions of a signal, newest first, with what each changed from the one before.

Options
  --json         the versions as JSON (SignalVersion[])
${BACKEND_HELP}

Examples
  signals versions frustration`,
  args: [1, 1],
  async run({ values, positionals, backend }) {
    const versions = await (await backend('read')).api.versions(positionals[0]);
    if (values.json) {
      printJson(versions);
      return 0;
    }
    const rows = versions.map((v, i) => {
      const prev = versions[i + 1];
      const changed = prev === undefined ? 'created' : changedKeys(prev.definition, v.definition).join(', ') || '-';
      return [`v${v.version}`, v.createdAt, changed];
    });
    process.stdout.write(table(['VERSION', 'CREATED', 'CHANGED'], rows));
    return 0;
  },
});

function changedKeys(a: object, b: object): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => JSON.stringify((a as Record<string, unknown>)[k]) !== JSON.stringify((b as Record<string, unknown>)[k])).sort();
}
