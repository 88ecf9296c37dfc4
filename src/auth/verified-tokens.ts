/**
 * Tokens whose signature and claims were verified, kept until they expire, so a client that sends
 * the same token on every request pays for the EdDSA verification once. Only the verification is
 * remembered: the revocation, generation and namespace-token checks still run on every request.
 * Entries of a revoked API key are dropped as soon as this process learns of the revocation.
 */
export class VerifiedTokens<T extends { exp?: number }> {
  private readonly entries = new Map<string, { claims: T; keyId?: string }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The claims of a token verified before for `audience`, while it has not expired. */
  get(token: string, audience: string): T | undefined {
    const k = cacheKey(token, audience);
    const e = this.entries.get(k);
    if (!e) return undefined;
    if (e.claims.exp === undefined || e.claims.exp * 1000 <= this.now()) {
      this.entries.delete(k);
      return undefined;
    }
    return e.claims;
  }

  set(token: string, audience: string, claims: T, keyId?: string): void {
    if (claims.exp === undefined) return;
    // Insertion order is age order: the oldest entry goes first when full.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(cacheKey(token, audience), { claims, keyId });
  }

  /** Forgets every token minted with this API key (it was revoked). */
  dropKey(keyId: string): void {
    for (const [k, e] of this.entries) if (e.keyId === keyId) this.entries.delete(k);
  }

  get size(): number {
    return this.entries.size;
  }
}

const cacheKey = (token: string, audience: string) => `${audience} ${token}`;
