import { and, eq, isNull, ne } from 'drizzle-orm';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { SIGNING_ALG } from '../../auth/signing-keys.ts';
import type { Database } from '../../store/db.ts';
import { signingKeys } from '../../store/schema/index.ts';

/**
 * Makes the Ed25519 private JWK given as the SIGNING_KEY_JWK secret the active signing key. Without
 * it the first isolate to sign generates a key into D1, as Node does; with it, the key is under the
 * operator's control (rotate by putting a new secret: the previous key is retired, still published).
 * Returns the key id.
 */
export async function installSigningKeyFromSecret(database: Database, secret: string, now: number): Promise<string> {
  const jwk = JSON.parse(secret) as JWK;
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.d || !jwk.x)
    throw new Error('SIGNING_KEY_JWK must be a private Ed25519 JWK (kty OKP, crv Ed25519, with d and x)');
  const publicPart = { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
  const kid = jwk.kid ?? (await calculateJwkThumbprint(publicPart));
  const existing = await database.db.select({ kid: signingKeys.kid }).from(signingKeys).where(eq(signingKeys.kid, kid)).get();
  if (existing) return kid;
  const publicJwk = { ...publicPart, kid, alg: SIGNING_ALG, use: 'sig' };
  // Retire every other key, never this one: two isolates installing it at once then agree.
  await database.atomicWrite([
    {
      query: database.db
        .update(signingKeys)
        .set({ retiredAt: now })
        .where(and(isNull(signingKeys.retiredAt), ne(signingKeys.kid, kid))),
    },
    {
      query: database.db
        .insert(signingKeys)
        .values({ kid, alg: SIGNING_ALG, privateJwk: JSON.stringify({ ...publicPart, d: jwk.d }), publicJwk: JSON.stringify(publicJwk), createdAt: now })
        .onConflictDoNothing(),
    },
  ]);
  return kid;
}
