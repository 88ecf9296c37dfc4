import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';

/** An operator's identity provider (AUTH_JWKS_URL) signs tokens the API accepts beside its own. */
let h: Harness;
let idp: Server;
let idpKey: CryptoKey;
let tenant: { id: string; key: string; token: string };
const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'kates-tenants';

before(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  idpKey = privateKey;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' }] });
  idp = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
  const { port } = idp.address() as AddressInfo;
  h = await startHarness({ env: { AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE } });
  tenant = await h.tenant();
});
after(async () => {
  await h.stop();
  idp.close();
});

const idpToken = (claims: Record<string, unknown>, o: { issuer?: string; audience?: string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
    .setIssuer(o.issuer ?? ISSUER)
    .setAudience(o.audience ?? AUDIENCE)
    .setSubject('alice@example.test')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(idpKey);

test("the identity provider's token opens the tenant it names, with the role it carries", async () => {
  const viewer = await idpToken({ tid: tenant.id, role: 'viewer' });
  assert.equal((await h.request('GET', '/v1/clusters', { token: viewer })).status, 200);
  const write = await h.request('POST', '/v1/clusters', { token: viewer, body: defaultClusterBody() });
  assert.equal(write.status, 403);
  const other = await h.tenant();
  const cross = await h.request('GET', `/v1/tenants/${other.id}`, { token: await idpToken({ tid: tenant.id, role: 'owner' }) });
  assert.equal(cross.status, 404);
});

test('its tokens are refused with another issuer or audience, or without a tenant role; ours keep working', async () => {
  for (const token of [
    await idpToken({ tid: tenant.id, role: 'owner' }, { issuer: 'https://evil.example.test/' }),
    await idpToken({ tid: tenant.id, role: 'owner' }, { audience: 'kates-api' }),
    await idpToken({ tid: tenant.id, role: 'superuser' }),
  ]) {
    const r = await h.request('GET', '/v1/clusters', { token });
    assert.equal(r.status, 401, r.text);
    assert.equal(r.body.error.code, 'UNAUTHORIZED');
  }
  assert.equal((await h.request('GET', '/v1/clusters', { token: tenant.token })).status, 200);
});
