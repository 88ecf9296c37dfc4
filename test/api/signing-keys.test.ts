import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { SigningKeys } from '../../src/auth/signing-keys.ts';
import { decodeJwt } from './helpers/forge.ts';

/** The JWKS publishes every signing key; rotation changes the signer without breaking live tokens. */
let h: Harness;
let tenant: { id: string; key: string; token: string };

before(async () => {
  h = await startHarness();
  tenant = await h.tenant();
});
after(() => h.stop());

const jwks = async () => (await h.request('GET', '/.well-known/jwks.json', { noContract: true })).body as { keys: Record<string, string>[] };
const kidOf = (token: string) => decodeJwt(token).header.kid as string;

test('the JWKS lists the signing key as a public Ed25519 JWK', async () => {
  const r = await h.request('GET', '/.well-known/jwks.json', { noContract: true });
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-type']), /json/);
  const key = r.body.keys.find((k: { kid: string }) => k.kid === kidOf(tenant.token));
  assert.ok(key, 'the kid of a fresh token is published');
  assert.deepEqual([key.kty, key.crv, key.alg, key.use], ['OKP', 'Ed25519', 'EdDSA', 'sig']);
  for (const k of r.body.keys) assert.equal(k.d, undefined, 'no private key material');
});

test('after a rotation new tokens use the new key, old tokens keep working, both keys are published', async () => {
  const before = tenant.token;
  const rotated = await h.runtime.deps.keys.rotate();
  const fresh = await h.tokenFor(tenant.key);
  assert.equal(kidOf(fresh), rotated.kid);
  assert.notEqual(kidOf(before), rotated.kid);
  assert.equal((await h.request('GET', '/v1/clusters', { token: before })).status, 200);
  assert.equal((await h.request('GET', '/v1/clusters', { token: fresh })).status, 200);
  const kids = (await jwks()).keys.map((k) => k.kid);
  assert.ok(kids.includes(kidOf(before)) && kids.includes(rotated.kid));
});

test('a rotation made by another process is used here for the next token, and its tokens verify here', async () => {
  const elsewhere = new SigningKeys(h.runtime.deps.database);
  const theirs = await elsewhere.rotate();
  const next = await h.tokenFor(tenant.key);
  assert.equal(kidOf(next), theirs.kid);
  assert.equal((await h.request('GET', '/v1/clusters', { token: next })).status, 200);
  assert.ok((await jwks()).keys.some((k) => k.kid === theirs.kid));
});

test('kubeconfig tokens signed before a rotation keep opening the cluster API', async () => {
  const cluster = await h.runningCluster(tenant.token);
  const path = await h.kubeconfig(tenant.token, cluster.id);
  await h.runtime.deps.keys.rotate();
  const r = await h.kubectl(path, ['get', 'namespaces', '-o', 'name']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /namespace\/kube-system/);
});

test('a fresh deployment publishes a signing key before anyone has signed in', async () => {
  const fresh = await startHarness();
  try {
    const r = await fresh.request('GET', '/.well-known/jwks.json', { noContract: true });
    assert.equal(r.status, 200);
    assert.equal(r.body.keys.length, 1, r.text);
    const token = await fresh.adminToken();
    assert.equal(kidOf(token), r.body.keys[0].kid, 'the published key is the one that signs');
  } finally {
    await fresh.stop();
  }
});
