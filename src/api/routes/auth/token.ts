import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { ApiError } from '../../errors.ts';
import { errors } from '../common.ts';
import { findActiveKey } from '../../../services/tenants/tenants.ts';
import type { TenantRole } from '../../../auth/principal.ts';
import { signInThrottle } from './sign-in-throttle.ts';

const TokenRequest = z
  .object({ apiKey: z.string().min(1).openapi({ example: 'kates_live_0123456789abcdefghijklmnopqrstuvwxyzABCD' }) })
  .strict()
  .openapi('TokenRequest');
const TokenResponse = z.object({ accessToken: z.string(), tokenType: z.literal('Bearer'), expiresIn: z.number().int() }).openapi('TokenResponse');

const route = createRoute({
  method: 'post',
  path: '/v1/auth/token',
  operationId: 'createToken',
  tags: ['auth'],
  summary: 'Exchange an API key for a short-lived access token (JWT)',
  description: 'Failed exchanges are throttled per source address and per key prefix (429 with Retry-After).',
  // The one operation without a bearer token: it is how one is obtained.
  security: [],
  request: { body: { content: { 'application/json': { schema: TokenRequest } }, required: true } },
  responses: { 200: { description: 'Access token', content: { 'application/json': { schema: TokenResponse } } }, ...errors(400, 401, 422, 429) },
});

export function registerCreateToken(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const deps = c.get('deps');
    const { apiKey } = c.req.valid('json');
    const throttle = signInThrottle(deps.rateLimiter);
    const address = deps.clientAddress?.(c) ?? 'unknown';
    const wait = await throttle.attempt(address, apiKey);
    if (wait > 0)
      throw new ApiError('RATE_LIMITED', 'too many failed API key exchanges; try again later', { retryAfterSeconds: wait }, { 'Retry-After': String(wait) });
    const key = await findActiveKey(deps.database, apiKey);
    if (!key) throw new ApiError('UNAUTHORIZED', 'unknown or revoked API key');
    await throttle.succeeded(address, apiKey);
    const role = key.tenantId ? (key.role as TenantRole) : 'admin';
    const { token, expiresIn } = await deps.tokens.mintAccessToken({ subject: key.id, tenantId: key.tenantId ?? undefined, role });
    return c.json({ accessToken: token, tokenType: 'Bearer' as const, expiresIn }, 200);
  });
}
