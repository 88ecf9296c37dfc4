import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { requireTenant } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { EstimateRequest, EstimateSchema } from './schemas.ts';
import { estimate } from '../../../billing/reports/estimate.ts';
import { validateClusterSpec } from '../../../services/clusters/validate.ts';
import { priceUpgradePlan } from '../../../billing/reports/upgrade-plan.ts';
import { parseCpuMillis, parseQuantity } from '../../../lib/quantity.ts';
import { pricedView } from '../billing/money-schemas.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/estimates',
  operationId: 'createEstimate',
  tags: ['billing'],
  summary: 'Price a planned cluster under every provider and tier before creating it',
  description:
    'Takes the create-cluster body as it is (plus optional hours, volumes, load balancers and workloads) and answers the same shape as a cost comparison.',
  security: bearer,
  request: { body: { content: { 'application/json': { schema: EstimateRequest } }, required: true } },
  responses: { 200: { description: 'The estimate', content: { 'application/json': { schema: EstimateSchema } } }, ...errors(400, 401, 403, 422, 429) },
});

export function registerCreateEstimate(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    // Estimates reveal nothing about the tenant, so every tenant role may ask for one.
    requireTenant(c, ['owner', 'developer', 'viewer', 'billing']);
    const body = c.req.valid('json');
    // The same catalog checks as creating the cluster (region, tier, types, pool bounds).
    const nodePools = body.nodePools.map((p, i) => ({ ...p, name: p.name ?? `pool-${i}` }));
    const { tier } = validateClusterSpec({ ...body, name: body.name ?? 'estimate', nodePools });
    const workloads = body.workloads?.map((w) => ({
      name: w.name,
      replicas: w.replicas,
      cpuMilli: parseCpuMillis(w.cpu),
      memoryBytes: Math.round(parseQuantity(w.memory)),
    }));
    const start = c.get('deps').clock.now();
    const result = estimate(
      {
        provider: body.provider,
        region: body.region,
        regional: body.regional || tier === 'autopilot',
        hours: body.hours,
        nodePools: body.nodePools,
        volumes: body.volumes,
        loadBalancers: body.loadBalancers,
        workloads,
      },
      start,
    );
    const plan = body.upgradePlan
      ? priceUpgradePlan(
          body,
          nodePools.map((p) => ({ name: p.name, instanceType: p.instanceType, count: p.count })),
          start,
          body.upgradePlan.minutesPerBatch,
        ).map(pricedView)
      : undefined;
    return c.json(
      {
        ...(body.name ? { name: body.name } : {}),
        from: new Date(start).toISOString(),
        to: new Date(start + Math.round(result.hours * 3_600_000)).toISOString(),
        hours: result.hours,
        actual: { provider: body.provider, tier, region: body.region },
        results: result.results.map(pricedView),
        ...(plan ? { upgradePlan: plan } : {}),
      },
      200,
    );
  });
}
