import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { createManagementApi, openApiDocument } from '../src/api/app.ts';

/** Writes openapi.yaml from the route schemas (the single source of truth); `--check` fails on drift. */
const file = resolve(import.meta.dirname, '../openapi.yaml');
const generated = stringify(openApiDocument(createManagementApi(1)), { sortMapEntries: true, aliasDuplicateObjects: false });
if (process.argv.includes('--check')) {
  const committed = readFileSync(file, 'utf8');
  if (committed !== generated) {
    console.error('openapi.yaml is out of date with the route schemas: run `npm run openapi` and commit it.');
    process.exit(1);
  }
  console.log('openapi.yaml matches the routes');
} else {
  writeFileSync(file, generated);
  console.log(`wrote ${file}`);
}
