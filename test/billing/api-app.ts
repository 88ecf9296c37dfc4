import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../src/api/env.ts';
import { errorResponse, toApiError, validationError } from '../../src/api/errors.ts';
import type { Deps } from '../../src/deps.ts';
import type { Database } from '../../src/store/db.ts';
import type { Clock } from '../../src/lib/clock.ts';
import type { TenantRole } from '../../src/auth/principal.ts';
import { registerBillingRoutes } from '../../src/api/routes/billing/index.ts';
import { registerCostRoutes } from '../../src/api/routes/costs/index.ts';
import { registerEstimateRoutes } from '../../src/api/routes/estimates/index.ts';

/**
 * The billing routes on an app wired like the management API (same validation hook and error
 * mapping), with the caller's tenant and role taken from test headers instead of a JWT.
 */
export function billingApiApp(database: Database, clock: Clock) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
  app.use('*', async (c, next) => {
    c.set('deps', { database, clock } as unknown as Deps);
    const role = c.req.header('x-test-role') as TenantRole | undefined;
    if (role) c.set('principal', { kind: 'tenant', tenantId: c.req.header('x-test-tenant') ?? 'ten_a', role, subject: 'test' });
    await next();
  });
  registerBillingRoutes(app);
  registerCostRoutes(app);
  registerEstimateRoutes(app);
  app.onError((err, c) => errorResponse(c, toApiError(err)));
  return app;
}

export function as(role: TenantRole, tenant = 'ten_a', extra: Record<string, string> = {}): RequestInit {
  return { headers: { 'x-test-role': role, 'x-test-tenant': tenant, ...extra } };
}

/** A response body as JSON, untyped: the tests check its shape field by field. */
export async function json(res: Response): Promise<any> {
  return res.json();
}
