import { TEMPLATES } from '../../custom/templates/index.js';

/** `signals templates`: the ready signal templates, one line each (`--json` for the definitions). */
export async function runTemplates(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write('Usage: signals templates [--json]\n\nLists the ready custom-signal templates. A template id works wherever a signal name is taken;\n`signals init --template ID` writes it into signals.config.yaml.\n');
    return 0;
  }
  const unknown = argv.filter((a) => a !== '--json');
  if (unknown.length) {
    process.stderr.write(`signals templates: unknown argument "${unknown[0]}" (see signals templates --help)\n`);
    return 2;
  }
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(TEMPLATES.map((t) => ({ id: t.id, title: t.title, definition: t.definition })), null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...TEMPLATES.map((t) => t.id.length));
  for (const t of TEMPLATES) {
    const d = t.definition;
    const labels = d.type === 'binary' ? 'yes/no' : (d.labels ?? []).map((l) => l.name).join('/');
    process.stdout.write(`${t.id.padEnd(width)}  ${t.title} (${d.scope}, ${labels}): ${d.description ?? ''}\n`);
  }
  return 0;
}
