import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { clusterAudience } from '../../src/auth/tokens.ts';
import { decodeJwt, forgeToken, unsignedToken, withPayload } from './helpers/forge.ts';

/** Every way a bearer token on /v1 can be wrong answers 401 with the error shape; nothing leaks. */
let h: Harness;
let tenant: { id: string; key: string; token: string };

before(async () => {
  h = await startHarness();
  tenant = await h.tenant();
});
after(() => h.stop());

async function assertRejected(token: string | undefined, why: RegExp) {
  const r = await h.request('GET', '/v1/clusters', { token });
  assert.equal(r.status, 401, r.text);
  assert.equal(r.body.error.code, 'UNAUTHORIZED');
  assert.match(r.body.error.message, why);
  assert.match(String(r.headers['www-authenticate']), /^Bearer/);
  assert.equal(r.body.items, undefined);
}

test('the token endpoint mints a short-lived EdDSA JWT with kid, iss, aud, sub, exp, tenant and role', async () => {
  const r = await h.request('POST', '/v1/auth/token', { body: { apiKey: tenant.key } });
  assert.equal(r.status, 200);
  assert.equal(r.body.tokenType, 'Bearer');
  assert.equal(r.body.expiresIn, 3600);
  const { header, payload } = decodeJwt(r.body.accessToken);
  assert.equal(header.alg, 'EdDSA');
  assert.equal(header.kid, (await h.runtime.deps.keys.signingKey()).kid);
  assert.equal(payload.iss, h.runtime.deps.config.issuer);
  assert.equal(payload.aud, 'kates-api');
  assert.equal(payload.tid, tenant.id);
  assert.equal(payload.role, 'owner');
  assert.match(String(payload.sub), /^key_/);
  assert.equal(Number(payload.exp) - Number(payload.iat), 3600);
  // A control: the forging helper makes tokens the service accepts when nothing is wrong.
  const ok = await h.request('GET', '/v1/clusters', { token: await forgeToken(h, { claims: { tid: tenant.id } }) });
  assert.equal(ok.status, 200);
});

test('no token, a non-Bearer scheme and garbage are 401', async () => {
  await assertRejected(undefined, /missing bearer token/);
  const basic = await h.request('GET', '/v1/clusters', { headers: { authorization: `Basic ${btoa('a:b')}` } });
  assert.equal(basic.status, 401);
  await assertRejected('not-a-jwt', /invalid token/);
});

test('an expired token is 401', async () => {
  await assertRejected(await forgeToken(h, { claims: { tid: tenant.id }, expiresIn: -60 }), /exp/);
});

test('a token without exp is 401 even when correctly signed', async () => {
  await assertRejected(await forgeToken(h, { claims: { tid: tenant.id }, expiresIn: null }), /exp/);
});

test('a wrong or missing audience is 401 (a cluster kubeconfig token does not open /v1)', async () => {
  await assertRejected(await forgeToken(h, { claims: { tid: tenant.id }, audience: 'someone-else' }), /aud/);
  await assertRejected(await forgeToken(h, { claims: { tid: tenant.id }, audience: null }), /aud/);
  await assertRejected(await forgeToken(h, { claims: { tid: tenant.id, role: 'cluster-admin' }, audience: clusterAudience('cls_x') }), /aud/);
});

test('a wrong or missing issuer is 401', async () => {
  await assertRejected(await forgeToken(h, { claims: { tid: tenant.id }, issuer: 'https://evil.example' }), /iss/);
  await assertRejected(await forgeToken(h, { claims: { tid: tenant.id }, issuer: null }), /iss/);
});

test('a token without a subject or without a tenant role is 401', async () => {
  await assertRejected(await forgeToken(h, { claims: { tid: tenant.id }, subject: null }), /sub/);
  await assertRejected(await forgeToken(h, { claims: { tid: tenant.id, role: 'superuser' } }), /no tenant role/);
  await assertRejected(await forgeToken(h, { claims: { role: 'owner' } }), /no tenant role/);
});

test('a tampered payload or signature is 401: a viewer cannot promote itself', async () => {
  const viewer = await h.keyFor(tenant.id, tenant.token, 'viewer');
  const promoted = withPayload(viewer.token, (p) => (p.role = 'owner'));
  await assertRejected(promoted, /signature/);
  const otherTenant = withPayload(viewer.token, (p) => (p.tid = 'ten_someone_else'));
  await assertRejected(otherTenant, /signature/);
  const [head, body, sig] = viewer.token.split('.');
  const flipped = `${head}.${body}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
  await assertRejected(flipped, /signature/);
  await assertRejected(`${head}.${body}.`, /signature|Compact JWS/);
});

test('alg none is 401, with or without a signature segment', async () => {
  const token = await unsignedToken(h, { tid: tenant.id, role: 'owner' });
  await assertRejected(token, /alg/);
  await assertRejected(`${token}AAAA`, /alg/);
});

test('a token signed by another key is 401, whether it claims our kid or an unknown one', async () => {
  await assertRejected(await forgeToken(h, { claims: { tid: tenant.id }, foreignKey: true }), /signature/);
  await assertRejected(await forgeToken(h, { claims: { tid: tenant.id }, foreignKey: true, kid: 'k-unknown' }), /unknown signing key/);
});

test('HS256 keyed with the published public key (algorithm confusion) is 401', async () => {
  const { keys } = (await h.request('GET', '/.well-known/jwks.json', { noContract: true })).body as { keys: { kid: string; x: string }[] };
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ tid: tenant.id, role: 'owner' })
    .setProtectedHeader({ alg: 'HS256', kid: keys[0].kid })
    .setIssuer(h.runtime.deps.config.issuer)
    .setAudience('kates-api')
    .setSubject('key_forged')
    .setExpirationTime(now + 600)
    .sign(new TextEncoder().encode(keys[0].x));
  await assertRejected(token, /alg/);
});
