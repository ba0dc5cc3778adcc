import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { configYaml } from '../../custom/init-config.js';
import { TEMPLATES } from '../../custom/templates/index.js';

const USAGE = `Usage: signals init [--template ID ...] [-o FILE] [--force]

Writes a signals.config.yaml holding the chosen templates (all six when none is given), with a
schema line for editor completion. Templates: ${TEMPLATES.map((t) => t.id).join(', ')}.

Options
  --template ID     a template to include (repeatable)
  -o, --output FILE where to write (default signals.config.yaml)
  --force           overwrite an existing file
  -h, --help        show this help`;

/** `signals init`: writes a config from templates. Returns the exit code. */
export async function runInit(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        template: { type: 'string', multiple: true, default: [] },
        output: { type: 'string', short: 'o', default: 'signals.config.yaml' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`signals init: ${(error as Error).message}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let text: string;
  try {
    text = configYaml(values.template);
  } catch (error) {
    process.stderr.write(`signals init: ${(error as Error).message}\n`);
    return 2;
  }
  if (existsSync(values.output) && !values.force) {
    process.stderr.write(`signals init: ${values.output} exists (use --force to overwrite)\n`);
    return 2;
  }
  await writeFile(values.output, text);
  process.stdout.write(`wrote ${values.output}\n`);
  return 0;
}
