import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { READ_ROLES, requireTenant, WRITE_ROLES } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { ClusterIdParam, NodePoolSchema } from '../clusters/schemas.ts';
import { CreateNodePoolRequest, NodePoolAccepted, NodePoolList, NodePoolParams, UpdateNodePoolRequest } from './schemas.ts';
import { getClusterInTenant, poolsOf, poolView } from '../../../services/clusters/internal.ts';
import { createNodePool, deleteNodePool, getNodePool, updateNodePool } from '../../../services/clusters/node-pools.ts';
import { dispatchOperation } from '../../../services/operations/dispatch.ts';
import { operationView } from '../../../services/operations/operations.ts';

const listRoute = createRoute({
  method: 'get',
  path: '/v1/clusters/{clusterId}/node-pools',
  operationId: 'listNodePools',
  tags: ['node-pools'],
  summary: "List a cluster's node pools",
  security: bearer,
  request: { params: ClusterIdParam },
  responses: { 200: { description: 'The pools', content: { 'application/json': { schema: NodePoolList } } }, ...errors(401, 403, 404, 429) },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/clusters/{clusterId}/node-pools/{poolName}',
  operationId: 'getNodePool',
  tags: ['node-pools'],
  summary: 'Read a node pool',
  security: bearer,
  request: { params: NodePoolParams },
  responses: { 200: { description: 'The pool', content: { 'application/json': { schema: NodePoolSchema } } }, ...errors(401, 403, 404, 429) },
});

const createPoolRoute = createRoute({
  method: 'post',
  path: '/v1/clusters/{clusterId}/node-pools',
  operationId: 'createNodePool',
  tags: ['node-pools'],
  summary: "Add a node pool at the control plane's version; its nodes join through a CREATE_NODE_POOL operation",
  security: bearer,
  request: { params: ClusterIdParam, body: { content: { 'application/json': { schema: CreateNodePoolRequest } }, required: true } },
  responses: { 202: { description: 'Accepted', content: { 'application/json': { schema: NodePoolAccepted } } }, ...errors(400, 401, 403, 404, 409, 422, 429) },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/v1/clusters/{clusterId}/node-pools/{poolName}',
  operationId: 'updateNodePool',
  tags: ['node-pools'],
  summary: 'Change a node pool (UPDATE_NODE_POOL operation)',
  description:
    "Labels and taints are applied to the nodes in place; a larger count adds nodes and a smaller one cordons and drains the extra ones (PodDisruptionBudgets honoured); a new instance or capacity type replaces every node with the pool's surge settings.",
  security: bearer,
  request: { params: NodePoolParams, body: { content: { 'application/json': { schema: UpdateNodePoolRequest } }, required: true } },
  responses: { 202: { description: 'Accepted', content: { 'application/json': { schema: NodePoolAccepted } } }, ...errors(400, 401, 403, 404, 409, 422, 429) },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/v1/clusters/{clusterId}/node-pools/{poolName}',
  operationId: 'deleteNodePool',
  tags: ['node-pools'],
  summary: 'Delete a node pool: its nodes are cordoned and drained (evictions honour PodDisruptionBudgets), then removed',
  security: bearer,
  request: { params: NodePoolParams },
  responses: { 202: { description: 'Accepted', content: { 'application/json': { schema: NodePoolAccepted } } }, ...errors(401, 403, 404, 409, 429) },
});

export function registerNodePoolRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (c) => {
    const p = requireTenant(c, READ_ROLES);
    const deps = c.get('deps');
    const cluster = await getClusterInTenant(deps.database, p.tenantId, c.req.valid('param').clusterId);
    return c.json({ items: (await poolsOf(deps.database, cluster.id)).map((pool) => poolView(pool, cluster)) }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const p = requireTenant(c, READ_ROLES);
    const deps = c.get('deps');
    const { clusterId, poolName } = c.req.valid('param');
    const cluster = await getClusterInTenant(deps.database, p.tenantId, clusterId);
    return c.json(poolView(await getNodePool(deps.database, cluster.id, poolName), cluster), 200);
  });

  app.openapi(createPoolRoute, async (c) => {
    const p = requireTenant(c, WRITE_ROLES);
    const deps = c.get('deps');
    const { cluster, pool, operation } = await createNodePool(deps.database, p.tenantId, c.req.valid('param').clusterId, c.req.valid('json'), deps.clock.now());
    await dispatchOperation(deps, operation.id);
    c.header('Location', `/v1/clusters/${cluster.id}/node-pools/${pool.name}`);
    return c.json({ ...poolView(pool, cluster), operation: operationView(operation) }, 202);
  });

  app.openapi(patchRoute, async (c) => {
    const p = requireTenant(c, WRITE_ROLES);
    const deps = c.get('deps');
    const { clusterId, poolName } = c.req.valid('param');
    const { cluster, pool, operation } = await updateNodePool(deps.database, p.tenantId, clusterId, poolName, c.req.valid('json'), deps.clock.now());
    await dispatchOperation(deps, operation.id);
    return c.json({ ...poolView(pool, cluster), operation: operationView(operation) }, 202);
  });

  app.openapi(deleteRoute, async (c) => {
    const p = requireTenant(c, WRITE_ROLES);
    const deps = c.get('deps');
    const { clusterId, poolName } = c.req.valid('param');
    const { cluster, pool, operation } = await deleteNodePool(deps.database, p.tenantId, clusterId, poolName, deps.clock.now());
    await dispatchOperation(deps, operation.id);
    return c.json({ ...poolView(pool, cluster), operation: operationView(operation) }, 202);
  });
}
