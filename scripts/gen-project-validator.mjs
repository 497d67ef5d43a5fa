// Compiles src/engine/project/project.schema.json into a standalone validator (no eval at run time, so it
// works under the app's CSP): src/engine/project/generated/validateProject.js. Run after editing the schema;
// a unit test fails when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateValidatorSource } from './project-validator.mjs';

const out = fileURLToPath(new URL('../src/engine/project/generated/validateProject.js', import.meta.url));
const source = generateValidatorSource();
let current = '';
try {
  current = readFileSync(out, 'utf8');
} catch {
  // first generation
}
if (current !== source) writeFileSync(out, source);
console.log(current === source ? 'validator up to date' : `wrote ${out}`);
