import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { requireTenant, WRITE_ROLES } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { ClusterAccepted, CreateClusterRequest } from './schemas.ts';
import { createCluster } from '../../../services/clusters/create.ts';
import { clusterView } from '../../../services/clusters/internal.ts';
import { operationView } from '../../../services/operations/operations.ts';
import { dispatchOperation } from '../../../services/operations/dispatch.ts';
import { withIdempotency } from '../../middleware/idempotency.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/clusters',
  operationId: 'createCluster',
  tags: ['clusters'],
  summary: 'Create a virtual cluster; it is provisioned asynchronously',
  description: 'Answers 202 with the PROVISIONING cluster and the operation to poll. Honours an `Idempotency-Key` header.',
  security: bearer,
  request: { body: { content: { 'application/json': { schema: CreateClusterRequest } }, required: true } },
  responses: {
    202: { description: 'Accepted', content: { 'application/json': { schema: ClusterAccepted } } },
    ...errors(400, 401, 403, 409, 422, 429),
  },
});

export function registerCreateCluster(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const p = requireTenant(c, WRITE_ROLES);
    const deps = c.get('deps');
    const input = c.req.valid('json');
    const answer = await withIdempotency(c, p.tenantId, input, async () => {
      const { cluster, pools, operation } = await createCluster(deps.database, p.tenantId, input, deps.clock.now());
      await dispatchOperation(deps, operation.id);
      return { status: 202, body: { ...clusterView(cluster, pools, deps.config.publicUrl), operation: operationView(operation) } };
    });
    c.header('Location', `/v1/clusters/${(answer.body as { id: string }).id}`);
    return c.json(answer.body as never, 202);
  });
}
