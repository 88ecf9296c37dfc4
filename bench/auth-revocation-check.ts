/**
 * What checking the API key behind a token costs per request: the in-memory revoked-key set
 * (src/auth/revoked-keys.ts) beside the baseline of reading the key's row from SQLite on every
 * request (what /v1 did before, and what the Kubernetes API would have needed).
 *
 *   npx tsx bench/auth-revocation-check.ts [--keys 1000] [--checks 200000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { eq } from 'drizzle-orm';
import { openSqlite } from '../src/platform/sqlite.ts';
import { RevokedKeys } from '../src/auth/revoked-keys.ts';
import { apiKeys } from '../src/store/schema/index.ts';
import { createApiKey, createTenant, revokeApiKey } from '../src/services/tenants/tenants.ts';
import { machine } from './kube-server.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const KEYS = arg('keys', 1000);
const CHECKS = arg('checks', 200_000);

const dir = mkdtempSync(join(tmpdir(), 'kates-bench-'));
const database = openSqlite(join(dir, 'kates.db'));
const tenant = await createTenant(database, { name: 'bench' }, Date.now());
const ids: string[] = [];
for (let i = 0; i < KEYS; i++) ids.push((await createApiKey(database, { tenantId: tenant.id, name: `k${i}`, role: 'owner' }, Date.now())).row.id);
for (let i = 0; i < KEYS; i += 10) await revokeApiKey(database, tenant.id, ids[i], Date.now());

async function measure(label: string, check: (id: string) => Promise<boolean>) {
  for (let i = 0; i < 1000; i++) await check(ids[i % KEYS]);
  let revoked = 0;
  const t = performance.now();
  for (let i = 0; i < CHECKS; i++) if (await check(ids[(i * 7919) % KEYS])) revoked++;
  const ms = performance.now() - t;
  console.log(`${label.padEnd(52)} ${((ms * 1000) / CHECKS).toFixed(2).padStart(7)} µs per check   (${CHECKS} checks, ${revoked} revoked)`);
  return ms;
}

console.log(machine());
console.log(`${KEYS} API keys, one in ten revoked`);
const baseline = await measure('baseline: read the key row per request (SQLite)', async (id) => {
  const row = await database.db.select({ revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, id)).get();
  return !row || !!row.revokedAt;
});
const revokedKeys = new RevokedKeys(database, { maxStalenessMs: 1000 });
await revokedKeys.catchUp();
const set = await measure('revoked-key set (catch-up read at most once a second)', (id) => revokedKeys.isRevoked(id));
console.log(`the set is ${(baseline / set).toFixed(0)}× cheaper per check`);
await database.close();
rmSync(dir, { recursive: true, force: true });
