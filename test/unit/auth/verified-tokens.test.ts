import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqlite } from '../../../src/platform/sqlite.ts';
import { SigningKeys } from '../../../src/auth/signing-keys.ts';
import { TokenService } from '../../../src/auth/tokens.ts';
import { RevokedKeys } from '../../../src/auth/revoked-keys.ts';
import { VerifiedTokens } from '../../../src/auth/verified-tokens.ts';

test("a verified token is remembered until it expires, and a revoked key's tokens are forgotten", () => {
  let now = 1_000_000;
  const cache = new VerifiedTokens<{ exp?: number; sub: string }>(3, () => now);
  cache.set('t1', 'aud', { exp: 1_060, sub: 'key_a' }, 'key_a');
  cache.set('t2', 'aud', { exp: 1_060, sub: 'key_b' }, 'key_b');
  assert.equal(cache.get('t1', 'aud')?.sub, 'key_a');
  assert.equal(cache.get('t1', 'other-audience'), undefined, 'the audience is part of the key');
  cache.dropKey('key_a');
  assert.equal(cache.get('t1', 'aud'), undefined);
  assert.equal(cache.get('t2', 'aud')?.sub, 'key_b');
  now = 1_060_000;
  assert.equal(cache.get('t2', 'aud'), undefined, 'expired at exp');
  cache.set('t3', 'aud', { sub: 'x' });
  assert.equal(cache.get('t3', 'aud'), undefined, 'a token without exp is never cached');
  for (const t of ['a', 'b', 'c', 'd']) cache.set(t, 'aud', { exp: 2_000, sub: t });
  assert.equal(cache.size, 3, 'bounded');
  assert.equal(cache.get('a', 'aud'), undefined, 'the oldest went first');
});

test('TokenService verifies a token once; revoking its key (as RevokedKeys learns of it) drops it, and a forged copy is still refused', async () => {
  const database = openSqlite(':memory:');
  const keys = new SigningKeys(database);
  const tokens = new TokenService(keys, { issuer: 'https://kates.test', accessTokenTtlSeconds: 600, clusterTokenTtlSeconds: 600 });
  const revoked = new RevokedKeys(database, { maxStalenessMs: 60_000 });
  revoked.onRevoked((id) => tokens.forgetKey(id));
  const { token } = await tokens.mintAccessToken({ subject: 'key_1', tenantId: 'ten_1', role: 'owner' });
  const cache = (tokens as unknown as { verified: VerifiedTokens<{ exp?: number }> }).verified;
  assert.equal((await tokens.verifyAccessToken(token)).kind, 'tenant');
  assert.equal(cache.size, 1);
  assert.equal((await tokens.verifyAccessToken(token)).apiKeyId, 'key_1');
  // A token with the same claims but a broken signature is not the cached one.
  const [h, p, sig] = token.split('.');
  await assert.rejects(tokens.verifyAccessToken(`${h}.${p}.${sig.slice(0, -4)}AAAA`));
  revoked.markRevoked('key_1');
  assert.equal(cache.size, 0, 'dropped at once');
  assert.equal(await revoked.isRevoked('key_1'), true);
});
