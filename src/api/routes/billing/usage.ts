import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { BILLING_ROLES, requireTenant } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { UsageQuery, UsageReportSchema } from './schemas.ts';
import { usageReport } from '../../../billing/reports/usage.ts';
import { monthEnd, reportWindow } from './window.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/billing/usage',
  operationId: 'getBillingUsage',
  tags: ['billing'],
  summary: 'Hourly usage of the tenant, summed by cluster, line item, day or hour',
  description:
    "Hours are each cluster's own clock hours (an accelerated cluster accrues them faster). Rated hours come from the billing cycle; hours it has not rated yet, up to each cluster's now, are priced the same way and counted as `estimated` (up to `ratedThrough` everything is final). Without `from` and `to` the report covers the current month and equals the open invoice's subtotal.",
  security: bearer,
  request: { query: UsageQuery },
  responses: { 200: { description: 'Usage report', content: { 'application/json': { schema: UsageReportSchema } } }, ...errors(401, 403, 422, 429) },
});

export function registerBillingUsage(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const p = requireTenant(c, BILLING_ROLES);
    const deps = c.get('deps');
    const q = c.req.valid('query');
    const now = deps.clock.now();
    const [from, to] = reportWindow(q, now, monthEnd(now));
    return c.json(await usageReport(deps.database.db, p.tenantId, from, to, q.groupBy, { realNowMs: now }), 200);
  });
}
