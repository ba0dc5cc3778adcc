import { stringify } from 'yaml';
import { templateById, TEMPLATES } from './templates/index.js';

/** Where editors find the config's JSON Schema (the file is published with the package). */
export const CONFIG_SCHEMA_PATH = './node_modules/agent-signals/schema/signals.config.schema.json';

/** The text of a `signals.config.yaml` holding the given templates (all when none is given). */
export function configYaml(templateIds: readonly string[] = []): string {
  const ids = templateIds.length ? templateIds : TEMPLATES.map((t) => t.id);
  const signals = ids.map((id) => {
    const template = templateById(id);
    if (!template) throw new Error(`unknown template "${id}" (one of ${TEMPLATES.map((t) => t.id).join(', ')})`);
    return template.definition;
  });
  const body = stringify({ signals, alerts: [] }, { lineWidth: 0 });
  return (
    `# yaml-language-server: $schema=${CONFIG_SCHEMA_PATH}\n` +
    '# Custom signals. Each one is judged by rules or by the small learned model shipped with its template (free,\n' +
    "# local); set judge: learned-then-llm or rules-then-llm to ask the operator's LLM provider where they are unsure\n" +
    '# (llm: {provider, model} picks one; see signals providers).\n' +
    body
  );
}
