import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { READ_ROLES, requireTenant, WRITE_ROLES } from '../../middleware/auth.ts';
import { assertCustomVerb, bearer, errors } from '../common.ts';
import { ClusterIdParam } from './schemas.ts';
import { getClusterInTenant } from '../../../services/clusters/internal.ts';
import { ApiError } from '../../errors.ts';
import { failNode, recoverNode } from '../../../kubelet/chaos.ts';
import { resolveDns } from '../../../network/dns.ts';
import { advanceClusterClock } from '../../../services/clusters/clock.ts';
import { controllers } from '../../../controllers/registry.ts';
import { wakeAllControllers } from '../../../queue/wake.ts';
import type { ClusterRow } from '../../../services/clusters/internal.ts';
import type { Context } from 'hono';

const NodeActionParam = ClusterIdParam.extend({
  nodeAction: z
    .string()
    .regex(/^[a-z0-9.-]+:(fail|recover)$/, 'must be <node name>:fail or <node name>:recover')
    .openapi({
      param: { name: 'nodeAction', in: 'path' },
      example: 'ip-10-0-0-1.ec2.internal:fail',
      description: '`<node name>:fail` or `<node name>:recover`',
    }),
});

const NodeChaosResult = z.object({ node: z.string(), failed: z.boolean(), at: z.string() }).openapi('NodeChaosResult');

const nodeRoute = createRoute({
  method: 'post',
  path: '/v1/clusters/{clusterId}/nodes/{nodeAction}',
  operationId: 'nodeChaos',
  tags: ['simulation'],
  summary: 'Fail a node (its kubelet goes silent) or recover it: `POST …/nodes/<name>:fail` or `:recover`',
  security: bearer,
  request: { params: NodeActionParam },
  responses: { 200: { description: 'Done', content: { 'application/json': { schema: NodeChaosResult } } }, ...errors(401, 403, 404, 409, 422, 429) },
});

const DnsRecord = z.object({ name: z.string(), type: z.enum(['A', 'SRV', 'CNAME']), ttl: z.number().int(), data: z.string() }).openapi('DnsRecord');
const DnsAnswer = z
  .object({ name: z.string(), type: z.enum(['A', 'SRV', 'CNAME', 'ANY']), status: z.enum(['NOERROR', 'NXDOMAIN']), answers: z.array(DnsRecord) })
  .openapi('DnsAnswer');

const dnsRoute = createRoute({
  method: 'get',
  path: '/v1/clusters/{clusterId}/dns',
  operationId: 'resolveDns',
  tags: ['simulation'],
  summary: 'Resolve a name inside the cluster as CoreDNS would (services, headless pods, StatefulSet pods, SRV)',
  security: bearer,
  request: {
    params: ClusterIdParam,
    query: z.object({
      name: z
        .string()
        .min(1)
        .max(253)
        .openapi({ param: { name: 'name', in: 'query' }, example: 'kubernetes.default.svc.cluster.local' }),
      type: z
        .enum(['A', 'SRV', 'CNAME', 'ANY'])
        .optional()
        .openapi({ param: { name: 'type', in: 'query' } }),
      namespace: z
        .string()
        .optional()
        .openapi({ param: { name: 'namespace', in: 'query' }, description: "Resolve short names through this namespace's search path" }),
    }),
  },
  responses: { 200: { description: 'The answer', content: { 'application/json': { schema: DnsAnswer } } }, ...errors(400, 401, 403, 404, 409, 422, 429) },
});

const ClockAdvance = z
  .object({
    seconds: z
      .number()
      .positive()
      .max(30 * 24 * 3600),
  })
  .strict()
  .openapi('ClockAdvanceRequest');
const ClockView = z.object({ clusterTime: z.string(), timeScale: z.number(), skewSeconds: z.number() }).openapi('ClusterClock');

const clockRoute = createRoute({
  method: 'post',
  path: '/v1/clusters/{clusterId}/clock:advance',
  operationId: 'advanceClusterClock',
  tags: ['simulation'],
  summary: "Move the cluster's own clock forward (timers, probes, autoscaler windows, CronJobs and metering follow)",
  security: bearer,
  request: { params: ClusterIdParam, body: { content: { 'application/json': { schema: ClockAdvance } }, required: true } },
  responses: {
    200: { description: 'The new cluster time', content: { 'application/json': { schema: ClockView } } },
    ...errors(400, 401, 403, 404, 409, 422, 429),
  },
});

async function runningClusterOf(c: Context<AppEnv>, roles: readonly ('owner' | 'developer' | 'viewer')[], clusterId: string): Promise<ClusterRow> {
  const p = requireTenant(c, roles);
  const cluster = await getClusterInTenant(c.get('deps').database, p.tenantId, clusterId);
  if (cluster.status !== 'RUNNING' && cluster.status !== 'UPDATING') throw new ApiError('CONFLICT', `cluster ${clusterId} is ${cluster.status}`);
  return cluster;
}

export function registerSimulation(app: OpenAPIHono<AppEnv>) {
  app.openapi(nodeRoute, async (c) => {
    const { clusterId, nodeAction } = c.req.valid('param');
    await runningClusterOf(c, WRITE_ROLES, clusterId);
    const deps = c.get('deps');
    const cut = nodeAction.lastIndexOf(':');
    const [name, action] = [nodeAction.slice(0, cut), nodeAction.slice(cut + 1)];
    const node = action === 'fail' ? await failNode(deps.store, clusterId, name) : await recoverNode(deps.store, clusterId, name);
    return c.json({ node: node.metadata.name!, failed: action === 'fail', at: new Date(await deps.store.clusterNow(clusterId)).toISOString() }, 200);
  });

  app.openapi(dnsRoute, async (c) => {
    const { clusterId } = c.req.valid('param');
    await runningClusterOf(c, READ_ROLES, clusterId);
    const q = c.req.valid('query');
    return c.json(await resolveDns(c.get('deps').store, clusterId, q.name, { type: q.type, namespace: q.namespace }), 200);
  });

  app.openapi(clockRoute, async (c) => {
    assertCustomVerb(c.req.path, 'clock:advance');
    const { clusterId } = c.req.valid('param');
    const cluster = await runningClusterOf(c, WRITE_ROLES, clusterId);
    const deps = c.get('deps');
    const ms = Math.round(c.req.valid('json').seconds * 1000);
    await advanceClusterClock(deps.database, clusterId, ms);
    // Timers were armed in real time from the old clock: every controller re-reads it and re-arms.
    await wakeAllControllers(deps.queue, controllers, clusterId);
    const now = await deps.store.clusterNow(clusterId);
    return c.json({ clusterTime: new Date(now).toISOString(), timeScale: cluster.timeScale, skewSeconds: (cluster.clockSkewMs + ms) / 1000 }, 200);
  });
}
