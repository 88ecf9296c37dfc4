import { desc, eq, isNull } from 'drizzle-orm';
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';
import type { Database } from '../store/db.ts';
import { signingKeys } from '../store/schema/index.ts';
import { randomString } from '../lib/ids.ts';

export const SIGNING_ALG = 'EdDSA';

interface LoadedKey {
  kid: string;
  privateKey?: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * The service's JWT signing keys, kept in SQL so every process (and a restart) signs and verifies
 * with the same set. The newest active key signs; retired keys stay published in the JWKS so the
 * tokens they signed keep verifying until they expire.
 */
export class SigningKeys {
  private byKid = new Map<string, LoadedKey>();
  private current?: LoadedKey;

  constructor(private readonly database: Database) {}

  /**
   * The newest active key. Asked of SQL on every call (tokens are minted rarely) so a rotation made by
   * another process takes effect here at once instead of at the next restart.
   */
  async signingKey(): Promise<LoadedKey> {
    const row = await this.database.db
      .select({ kid: signingKeys.kid })
      .from(signingKeys)
      .where(isNull(signingKeys.retiredAt))
      .orderBy(desc(signingKeys.createdAt))
      .get();
    if (this.current && this.current.kid === row?.kid) return this.current;
    const full = row && (await this.database.db.select().from(signingKeys).where(eq(signingKeys.kid, row.kid)).get());
    this.current = full ? await this.load(full) : await this.rotate();
    return this.current;
  }

  /** Creates a new signing key; the previous ones are retired but stay published. */
  async rotate(): Promise<LoadedKey> {
    const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true, crv: 'Ed25519' });
    const kid = `k${Date.now().toString(36)}${randomString(6)}`;
    const privateJwk = await exportJWK(privateKey);
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: 'sig' };
    const now = Date.now();
    await this.database.atomicWrite([
      { query: this.database.db.update(signingKeys).set({ retiredAt: now }).where(isNull(signingKeys.retiredAt)) },
      {
        query: this.database.db
          .insert(signingKeys)
          .values({ kid, alg: SIGNING_ALG, privateJwk: JSON.stringify(privateJwk), publicJwk: JSON.stringify(publicJwk), createdAt: now }),
      },
    ]);
    const loaded: LoadedKey = { kid, privateKey, publicKey, publicJwk };
    this.byKid.set(kid, loaded);
    this.current = loaded;
    return loaded;
  }

  /** Public key for a `kid`, read from SQL on a miss (another process may have rotated). */
  async publicKey(kid: string): Promise<CryptoKey | undefined> {
    const hit = this.byKid.get(kid);
    if (hit) return hit.publicKey;
    const rows = await this.database.db.select().from(signingKeys).all();
    const row = rows.find((r) => r.kid === kid);
    return row ? (await this.load(row)).publicKey : undefined;
  }

  /**
   * Every published key. A fresh deployment has none until something signs, and a relying party that
   * fetched an empty set would cache it: the first read creates the signing key instead.
   */
  async jwks(): Promise<{ keys: JWK[] }> {
    const read = () => this.database.db.select().from(signingKeys).orderBy(desc(signingKeys.createdAt)).all();
    let rows = await read();
    if (!rows.length) {
      await this.signingKey();
      rows = await read();
    }
    return { keys: rows.map((r) => JSON.parse(r.publicJwk) as JWK) };
  }

  private async load(row: typeof signingKeys.$inferSelect): Promise<LoadedKey> {
    const publicJwk = JSON.parse(row.publicJwk) as JWK;
    const loaded: LoadedKey = {
      kid: row.kid,
      publicJwk,
      publicKey: (await importJWK(publicJwk, SIGNING_ALG)) as CryptoKey,
      privateKey: row.retiredAt ? undefined : ((await importJWK(JSON.parse(row.privateJwk), SIGNING_ALG)) as CryptoKey),
    };
    this.byKid.set(row.kid, loaded);
    return loaded;
  }
}
