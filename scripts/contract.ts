import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runContractSuite } from '../test/contract/suite.ts';

/**
 * `npm run test:contract -- --base-url URL [--admin-key KEY] [--ca-file F] [--timeout-seconds N]`:
 * the contract suite against a running deployment. The admin key may also come from KATES_ADMIN_KEY.
 */
const { values } = parseArgs({
  options: {
    'base-url': { type: 'string' },
    'admin-key': { type: 'string' },
    'ca-file': { type: 'string' },
    'timeout-seconds': { type: 'string', default: '60' },
  },
});

const baseUrl = values['base-url'];
const adminKey = values['admin-key'] ?? process.env.KATES_ADMIN_KEY;
if (!baseUrl || !adminKey) {
  console.error(
    'usage: npm run test:contract -- --base-url https://host:8080 [--admin-key KEY | KATES_ADMIN_KEY=KEY] [--ca-file ca.pem] [--timeout-seconds 60]',
  );
  process.exit(2);
}

const ca = values['ca-file'] ? readFileSync(values['ca-file'], 'utf8') : undefined;
console.log(`contract suite against ${baseUrl}`);
const { results, checked } = await runContractSuite({
  baseUrl,
  adminKey,
  ca,
  timeoutMs: Number(values['timeout-seconds']) * 1000,
  report: (line) => console.log(line),
});
const count = (status: string) => results.filter((r) => r.status === status).length;
console.log(`${checked} responses matched openapi.yaml`);
console.log(`${count('passed')} passed, ${count('failed')} failed${count('skipped') ? ` (${count('skipped')} skipped after the failure)` : ''}`);
process.exit(count('passed') === results.length ? 0 : 1);
