import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import type { AppEnv } from '../env.ts';
import { decodeUtf8, nestsDeeperThan } from '../../lib/body-shape.ts';

/** Nesting allowed in a /v1 body; the deepest request schema needs fewer than 10 levels. */
export const MAX_BODY_NESTING = 64;

/**
 * Request bodies must be UTF-8 (not silently repaired with U+FFFD) and nest at most
 * MAX_BODY_NESTING levels, checked on the raw text before the route's validator parses it (Hono
 * caches the bytes read here, so the validator reads them again from memory).
 */
export function bodyGuard(): MiddlewareHandler<AppEnv> {
  return async function bodyGuardMiddleware(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || !c.req.raw.body) return next();
    const text = decodeUtf8(new Uint8Array(await c.req.arrayBuffer()));
    if (text === undefined) throw new ApiError('BAD_REQUEST', 'the request body is not valid UTF-8');
    if (nestsDeeperThan(text, MAX_BODY_NESTING)) throw new ApiError('BAD_REQUEST', `the request body nests deeper than ${MAX_BODY_NESTING} levels`);
    await next();
  };
}
