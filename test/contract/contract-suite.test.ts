import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { runContractSuite } from './suite.ts';

/** The contract suite against a running service: through its CLI, and failing when it should. */
let h: Harness;
let caFile: string;

before(async () => {
  h = await startHarness();
  caFile = join(h.dataDir, 'contract-ca.pem');
  writeFileSync(caFile, h.runtime.deps.caCert!);
});
after(() => h.stop());

const cli = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/contract.ts', ...args],
      { cwd: resolve(import.meta.dirname, '../..'), env: { ...process.env, ...env }, timeout: 120_000 },
      (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

test('npm run test:contract passes against a running deployment', async () => {
  const r = await cli(['--base-url', h.url, '--admin-key', h.adminKey, '--ca-file', caFile]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /14 passed, 0 failed/);
  const checked = Number(/(\d+) responses matched openapi.yaml/.exec(r.stdout)?.[1]);
  assert.ok(checked >= 15, r.stdout);
});

test('the admin key may come from KATES_ADMIN_KEY; without one the CLI explains its usage', async () => {
  const withEnv = await cli(['--base-url', h.url, '--ca-file', caFile], { KATES_ADMIN_KEY: h.adminKey });
  assert.equal(withEnv.code, 0, withEnv.stdout + withEnv.stderr);
  const without = await cli(['--base-url', h.url], { KATES_ADMIN_KEY: '' });
  assert.equal(without.code, 2);
  assert.match(without.stderr, /usage: npm run test:contract/);
});

test('a wrong admin key fails at sign-in and skips the rest', async () => {
  const { results } = await runContractSuite({ baseUrl: h.url, adminKey: 'kates_admin_wrong', ca: h.runtime.deps.caCert });
  const failed = results.find((r) => r.status === 'failed');
  assert.equal(failed?.name, 'the operator signs in with the admin key');
  assert.match(failed!.error!, /expected 200, got 401/);
  assert.ok(results.slice(results.indexOf(failed!) + 1).every((r) => r.status === 'skipped'));
});

test('a deployment that breaks the contract fails the step that saw it', async () => {
  // A proxy in front of the service that renames a field of the cluster it creates.
  const proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length')) as Record<string, string>;
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const upstream = await h.request(req.method!, req.url!, { headers, rawBody: body?.toString('utf8'), noContract: true });
    let text = upstream.text;
    if (req.method === 'POST' && req.url === '/v1/clusters' && upstream.status === 202) text = text.replace('"status":', '"state":');
    res.writeHead(upstream.status, { 'content-type': String(upstream.headers['content-type'] ?? 'text/plain') });
    res.end(text);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  try {
    const { port } = proxy.address() as AddressInfo;
    const { results } = await runContractSuite({ baseUrl: `http://127.0.0.1:${port}`, adminKey: h.adminKey });
    const failed = results.find((r) => r.status === 'failed');
    assert.match(failed?.name ?? '', /^creates a cluster/, JSON.stringify(results));
    assert.match(failed!.error!, /does not match openapi.yaml/);
  } finally {
    proxy.close();
  }
});
