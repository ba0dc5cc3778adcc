// Writes schema/signals.config.schema.json from the zod schema (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../dist/custom/json-schema.js';

const path = new URL('../schema/signals.config.schema.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${path.pathname}`);
