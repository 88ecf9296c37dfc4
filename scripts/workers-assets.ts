import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { VENDOR_DIRS, VENDOR_FILES } from '../src/console/vendor.ts';

/**
 * The web console's files for the Worker's static-assets binding, laid out as the console router asks
 * for them (`index.html`, `app.js`…, `vendor/…`): src/console/public plus the browser libraries of
 * src/console/vendor.ts from node_modules. wrangler.toml runs this as its build step, before `wrangler dev` and `wrangler deploy`.
 */
const root = join(import.meta.dirname, '..');
const out = join(root, '.wrangler/console-assets');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'vendor'), { recursive: true });
cpSync(join(root, 'src/console/public'), out, { recursive: true });
const require = createRequire(import.meta.url);
for (const v of VENDOR_FILES) cpSync(join(dirname(require.resolve(`${v.pkg}/package.json`)), v.file), join(out, v.as));
for (const v of VENDOR_DIRS)
  cpSync(join(dirname(require.resolve(`${v.pkg}/package.json`)), v.dir), join(out, v.as), {
    recursive: true,
    filter: (src) => !src.endsWith('.d.ts') && !src.endsWith('.map'),
  });
