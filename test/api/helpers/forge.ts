import { SignJWT, generateKeyPair, type JWTPayload } from 'jose';
import type { Harness } from '../../helpers/harness.ts';
import { and, eq, isNull } from 'drizzle-orm';
import { API_AUDIENCE } from '../../../src/auth/tokens.ts';
import { apiKeys } from '../../../src/store/schema/index.ts';

const b64url = (v: unknown) =>
  btoa(typeof v === 'string' ? v : JSON.stringify(v))
    .replace(/=+$/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');

export interface ForgeOptions {
  claims?: JWTPayload & { tid?: string; role?: string };
  issuer?: string | null;
  audience?: string | null;
  subject?: string | null;
  /** Seconds from now; null leaves `exp` out. */
  expiresIn?: number | null;
  kid?: string;
  /** Sign with a fresh key the service never saw (keeping the service's kid unless `kid` is given). */
  foreignKey?: boolean;
}

/**
 * Tokens the service must refuse, each differing from a valid one in a single respect. They are
 * signed with the service's own current key unless told otherwise, so only that respect is wrong.
 */
export async function forgeToken(h: Harness, o: ForgeOptions = {}): Promise<string> {
  const current = await h.runtime.deps.keys.signingKey();
  const privateKey = o.foreignKey ? (await generateKeyPair('EdDSA', { crv: 'Ed25519' })).privateKey : current.privateKey!;
  const jwt = new SignJWT({ role: 'owner', ...o.claims }).setProtectedHeader({ alg: 'EdDSA', kid: o.kid ?? current.kid, typ: 'JWT' }).setIssuedAt();
  const issuer = o.issuer === undefined ? h.runtime.deps.config.issuer : o.issuer;
  const audience = o.audience === undefined ? API_AUDIENCE : o.audience;
  // Our tokens name a live API key as subject; by default the forgery borrows one of the tenant's.
  const subject = o.subject === undefined ? await liveKeyId(h, o.claims?.tid) : o.subject;
  if (issuer !== null) jwt.setIssuer(issuer);
  if (audience !== null) jwt.setAudience(audience);
  if (subject !== null) jwt.setSubject(subject);
  const expiresIn = o.expiresIn === undefined ? 600 : o.expiresIn;
  if (expiresIn !== null) jwt.setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn);
  return jwt.sign(privateKey);
}

async function liveKeyId(h: Harness, tenantId: string | undefined): Promise<string> {
  const { db } = h.runtime.deps.database;
  const row = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(tenantId ? eq(apiKeys.tenantId, tenantId) : isNull(apiKeys.tenantId), isNull(apiKeys.revokedAt)))
    .get();
  return row?.id ?? 'key_forged';
}

/** An unsigned token (`alg: none`) carrying the service's kid and otherwise valid claims. */
export async function unsignedToken(h: Harness, claims: Record<string, unknown>): Promise<string> {
  const { kid } = await h.runtime.deps.keys.signingKey();
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: h.runtime.deps.config.issuer, aud: API_AUDIENCE, sub: 'key_forged', iat: now, exp: now + 600, ...claims };
  return `${b64url({ alg: 'none', kid, typ: 'JWT' })}.${b64url(payload)}.`;
}

/** Replaces a JWT's payload, keeping its header and signature. */
export function withPayload(token: string, change: (payload: Record<string, unknown>) => void): string {
  const [header, body, signature] = token.split('.');
  const payload = JSON.parse(atob(body.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
  change(payload);
  return `${header}.${b64url(payload)}.${signature}`;
}

export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token
    .split('.')
    .slice(0, 2)
    .map((s) => JSON.parse(atob(s.replace(/-/g, '+').replace(/_/g, '/'))));
  return { header: h, payload: p };
}
