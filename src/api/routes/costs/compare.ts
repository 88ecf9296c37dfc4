import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { BILLING_ROLES, requireTenant } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { ClusterIdParam, CompareQuery, ComparisonSchema } from './schemas.ts';
import { getClusterInTenant, poolsOf, type ClusterRow } from '../../../services/clusters/internal.ts';
import { priceUpgradePlan } from '../../../billing/reports/upgrade-plan.ts';
import type { Database } from '../../../store/db.ts';
import { compareCluster } from '../../../billing/reports/compare-reader.ts';
import { isProvider, type Provider } from '../../../billing/catalog.ts';
import { ApiError } from '../../errors.ts';
import { pricedView } from '../billing/money-schemas.ts';
import { clusterWindow } from './window.ts';

const route = createRoute({
  method: 'get',
  path: '/v1/clusters/{clusterId}/costs/compare',
  operationId: 'compareClusterCosts',
  tags: ['billing'],
  summary: "The cluster's recorded usage priced under every provider and tier, each node as the same-shape instance type",
  description:
    "The result for the provider and tier the cluster runs on is its bill: the same rated hours and estimate of the unrated ones as usage and the invoice, to the cent (with the GKE free-tier credit as if it were the account's only eligible cluster). The window is whole cluster-clock hours.",
  security: bearer,
  request: { params: ClusterIdParam, query: CompareQuery },
  responses: {
    200: { description: 'One result per provider and tier', content: { 'application/json': { schema: ComparisonSchema } } },
    ...errors(401, 403, 404, 422, 429),
  },
});

/** One upgrade of the cluster's pools as they are now, its own surge settings at its own provider. */
async function upgradePlanOf(database: Database, row: ClusterRow, now: number, minutes: number) {
  const pools = await poolsOf(database, row.id);
  const plan = pools.map((p) => ({
    name: p.name,
    instanceType: p.instanceType,
    count: p.count,
    maxSurge: p.maxSurge,
    maxUnavailable: p.maxUnavailable,
    zones: (JSON.parse(p.zones) as string[]).length || undefined,
  }));
  return priceUpgradePlan({ provider: row.provider as Provider, region: row.region }, plan, now, minutes);
}

export function registerCompareCosts(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const p = requireTenant(c, BILLING_ROLES);
    const deps = c.get('deps');
    const row = await getClusterInTenant(deps.database, p.tenantId, c.req.valid('param').clusterId);
    if (!isProvider(row.provider)) throw new ApiError('INTERNAL', `cluster ${row.id} has an unknown provider`);
    const now = deps.clock.now();
    const [fromMs, toMs] = clusterWindow(row, c.req.valid('query'), now);
    const comparison = await compareCluster(deps.database.db, { id: row.id, provider: row.provider, tier: row.tier, region: row.region }, fromMs, toMs, now);
    const minutes = c.req.valid('query').upgradeMinutesPerBatch;
    const plan = minutes === undefined ? undefined : await upgradePlanOf(deps.database, row, now, minutes);
    return c.json({ ...comparison, results: comparison.results.map(pricedView), ...(plan ? { upgradePlan: plan.map(pricedView) } : {}) }, 200);
  });
}
