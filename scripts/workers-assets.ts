import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The web console's files for the Worker's static-assets binding, laid out as the console router asks
 * for them (`index.html`, `app.js`…, `vendor/uPlot.*`): src/console/public plus uPlot from
 * node_modules. wrangler.toml runs this as its build step, before `wrangler dev` and `wrangler deploy`.
 */
const root = join(import.meta.dirname, '..');
const out = join(root, '.wrangler/console-assets');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'vendor'), { recursive: true });
cpSync(join(root, 'src/console/public'), out, { recursive: true });
const uplot = dirname(createRequire(import.meta.url).resolve('uplot/package.json'));
for (const file of ['uPlot.iife.min.js', 'uPlot.min.css']) cpSync(join(uplot, 'dist', file), join(out, 'vendor', file));
