import { BACKEND_HELP, command, print, printJson, table } from './cli-kit.js';

/** `signals providers`: the operator's LLM providers a signal may name, without keys. */
export const runProviders = command({
  name: 'providers',
  help: `Usage: signals providers [--json]

Lists the LLM providers the operator configured: the default one from SIGNALS_LLM_BASE_URL, SIGNALS_LLM_MODEL
and SIGNALS_LLM_API_KEY, and the named ones of the config file's providers: section. A signal names one
(llm.provider) and may pick a model; keys are never shown.

Options
  --json         the list as JSON
${BACKEND_HELP}

Examples
  signals providers
  signals providers --url http://127.0.0.1:8787 --json`,
  options: {},
  async run({ values, backend }) {
    const { api } = await backend('providers');
    const list = await api.providers();
    if (values.json) printJson(list);
    else if (list.length === 0) {
      print('no LLM provider configured: set SIGNALS_LLM_BASE_URL, SIGNALS_LLM_MODEL and SIGNALS_LLM_API_KEY (or providers: in signals.config.yaml)');
    } else {
      const rows = list.map((p) => [p.name, p.model, p.priced ? 'yes' : 'no', p.paused ? `paused: ${p.paused.reason}` : 'ready', p.base_url]);
      process.stdout.write(table(['NAME', 'MODEL', 'PRICED', 'STATE', 'BASE URL'], rows));
    }
    return 0;
  },
});
