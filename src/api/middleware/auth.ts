import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import type { AppEnv } from '../env.ts';
import type { Principal, TenantPrincipal, TenantRole } from '../../auth/principal.ts';

/**
 * Reads the bearer token, verifies it and sets `principal`. Requests without one are 401, and so are
 * tokens of a revoked API key: revocation takes effect at once, not when the token expires (the
 * revoked keys are held in memory, src/auth/revoked-keys.ts, so this costs no query).
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async function authMiddleware(c, next) {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new ApiError('UNAUTHORIZED', 'missing bearer token', {}, { 'WWW-Authenticate': 'Bearer' });
    const deps = c.get('deps');
    const principal = await deps.tokens.verifyAccessToken(m[1]);
    if (principal.apiKeyId && (await deps.revokedKeys.isRevoked(principal.apiKeyId))) {
      throw new ApiError('UNAUTHORIZED', 'the API key this token was issued for has been revoked', {}, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    }
    c.set('principal', principal);
    await next();
  };
}

export function principalOf(c: Context<AppEnv>): Principal {
  const p = c.get('principal');
  if (!p) throw new ApiError('UNAUTHORIZED', 'missing bearer token');
  return p;
}

/** The caller must be a tenant principal holding one of `roles`. */
export function requireTenant(c: Context<AppEnv>, roles: readonly TenantRole[]): TenantPrincipal {
  const p = principalOf(c);
  if (p.kind !== 'tenant') throw new ApiError('FORBIDDEN', 'this endpoint needs a tenant token');
  if (!roles.includes(p.role)) throw new ApiError('FORBIDDEN', `role ${p.role} may not do this (needs ${roles.join(' or ')})`);
  return p;
}

export function requireAdmin(c: Context<AppEnv>): void {
  const p = principalOf(c);
  if (p.kind !== 'admin') throw new ApiError('FORBIDDEN', 'this endpoint needs the operator admin key');
}

export const READ_ROLES = ['owner', 'developer', 'viewer'] as const;
export const WRITE_ROLES = ['owner', 'developer'] as const;
export const BILLING_ROLES = ['owner', 'billing'] as const;
