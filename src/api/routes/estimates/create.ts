import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { requireTenant } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { EstimateRequest, EstimateSchema } from './schemas.ts';
import { estimate } from '../../../billing/reports/estimate.ts';
import { priceUpgradePlan } from '../../../billing/reports/upgrade-plan.ts';
import { findInstanceType, regionsOf } from '../../../billing/catalog.ts';
import { ApiError, type FieldIssue } from '../../errors.ts';
import { parseCpuMillis, parseQuantity } from '../../../lib/quantity.ts';
import { pricedView } from '../billing/money-schemas.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/estimates',
  operationId: 'createEstimate',
  tags: ['billing'],
  summary: 'Price a planned cluster under every provider and tier before creating it',
  security: bearer,
  request: { body: { content: { 'application/json': { schema: EstimateRequest } }, required: true } },
  responses: { 200: { description: 'The estimate', content: { 'application/json': { schema: EstimateSchema } } }, ...errors(400, 401, 403, 422, 429) },
});

export function registerCreateEstimate(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    // Estimates reveal nothing about the tenant, so every tenant role may ask for one.
    requireTenant(c, ['owner', 'developer', 'viewer', 'billing']);
    const body = c.req.valid('json');
    const issues: FieldIssue[] = [];
    if (!regionsOf(body.provider).includes(body.region)) issues.push({ field: 'region', message: `must be one of ${regionsOf(body.provider).join(', ')} for ${body.provider}` });
    body.nodePools.forEach((pool, i) => {
      if (!findInstanceType(body.provider, pool.instanceType)) issues.push({ field: `nodePools.${i}.instanceType`, message: `unknown ${body.provider} instance type ${pool.instanceType}` });
    });
    if (issues.length > 0) throw new ApiError('VALIDATION_FAILED', `${issues[0].field}: ${issues[0].message}`, { issues });
    const workloads = body.workloads?.map((w) => ({ name: w.name, replicas: w.replicas, cpuMilli: parseCpuMillis(w.cpu), memoryBytes: Math.round(parseQuantity(w.memory)) }));
    const now = c.get('deps').clock.now();
    const result = estimate({ ...body, workloads }, now);
    const plan = body.upgradePlan
      ? priceUpgradePlan(body, body.nodePools.map((p, i) => ({ name: `pool-${i}`, instanceType: p.instanceType, count: p.count })), now, body.upgradePlan.minutesPerBatch).map(pricedView)
      : undefined;
    return c.json({ hours: result.hours, results: result.results.map(pricedView), ...(plan ? { upgradePlan: plan } : {}) }, 200);
  });
}
