import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { requireTenant, WRITE_ROLES } from '../../middleware/auth.ts';
import { assertCustomVerb, bearer, errors } from '../common.ts';
import { ClusterIdParam, ClusterTokenSchema, CreateClusterTokenRequest } from './schemas.ts';
import { accessibleCluster, recordClusterToken, rotateClusterTokens } from '../../../services/clusters/access.ts';
import { renderKubeconfig } from '../../../services/clusters/kubeconfig.ts';

const kubeconfigRoute = createRoute({
  method: 'get',
  path: '/v1/clusters/{clusterId}/kubeconfig',
  operationId: 'getKubeconfig',
  tags: ['clusters'],
  summary: 'Download a kubeconfig (cluster-admin token bound to this cluster)',
  security: bearer,
  request: { params: ClusterIdParam },
  responses: {
    200: { description: 'kubeconfig YAML', content: { 'application/yaml': { schema: z.string() } } },
    ...errors(401, 403, 404, 409, 429),
  },
});

const rotateRoute = createRoute({
  method: 'post',
  path: '/v1/clusters/{clusterId}/kubeconfig:rotate',
  operationId: 'rotateKubeconfig',
  tags: ['clusters'],
  summary: 'Revoke every kubeconfig token of this cluster and return a new kubeconfig',
  security: bearer,
  request: { params: ClusterIdParam },
  responses: {
    200: { description: 'New kubeconfig YAML', content: { 'application/yaml': { schema: z.string() } } },
    ...errors(401, 403, 404, 409, 429),
  },
});

const tokenRoute = createRoute({
  method: 'post',
  path: '/v1/clusters/{clusterId}/tokens',
  operationId: 'createClusterToken',
  tags: ['clusters'],
  summary: "Mint a namespace-scoped token (view or edit) for the cluster's Kubernetes API",
  security: bearer,
  request: { params: ClusterIdParam, body: { content: { 'application/json': { schema: CreateClusterTokenRequest } }, required: true } },
  responses: { 201: { description: 'Created', content: { 'application/json': { schema: ClusterTokenSchema } } }, ...errors(400, 401, 403, 404, 409, 422, 429) },
});

export function registerClusterAccess(app: OpenAPIHono<AppEnv>) {
  app.openapi(kubeconfigRoute, async (c) => {
    const p = requireTenant(c, WRITE_ROLES);
    const deps = c.get('deps');
    const cluster = await accessibleCluster(deps.database, p.tenantId, c.req.valid('param').clusterId);
    const token = await deps.tokens.mintClusterToken({
      subject: p.subject,
      tenantId: p.tenantId,
      clusterId: cluster.id,
      role: 'cluster-admin',
      generation: cluster.tokenGeneration,
      apiKeyId: p.apiKeyId,
    });
    return c.body(
      renderKubeconfig(cluster, { publicUrl: deps.config.publicUrl, token, caCert: deps.caCert, clusterDomain: deps.config.kubeClusterDomain }),
      200,
      { 'Content-Type': 'application/yaml' },
    );
  });

  app.openapi(rotateRoute, async (c) => {
    assertCustomVerb(c.req.path, 'kubeconfig:rotate');
    const p = requireTenant(c, ['owner']);
    const deps = c.get('deps');
    const cluster = await accessibleCluster(deps.database, p.tenantId, c.req.valid('param').clusterId);
    const now = deps.clock.now();
    const generation = await rotateClusterTokens(deps.database, cluster, now);
    const token = await deps.tokens.mintClusterToken({
      subject: p.subject,
      tenantId: p.tenantId,
      clusterId: cluster.id,
      role: 'cluster-admin',
      generation,
      apiKeyId: p.apiKeyId,
    });
    return c.body(
      renderKubeconfig(
        { ...cluster, tokenGeneration: generation },
        { publicUrl: deps.config.publicUrl, token, caCert: deps.caCert, clusterDomain: deps.config.kubeClusterDomain },
      ),
      200,
      { 'Content-Type': 'application/yaml' },
    );
  });

  app.openapi(tokenRoute, async (c) => {
    const p = requireTenant(c, WRITE_ROLES);
    const deps = c.get('deps');
    const cluster = await accessibleCluster(deps.database, p.tenantId, c.req.valid('param').clusterId);
    const body = c.req.valid('json');
    const now = deps.clock.now();
    const id = await recordClusterToken(deps.database, { clusterId: cluster.id, tenantId: p.tenantId, role: body.role, namespaces: body.namespaces }, now);
    const token = await deps.tokens.mintClusterToken({
      subject: body.name ?? id,
      tenantId: p.tenantId,
      clusterId: cluster.id,
      role: body.role,
      namespaces: body.namespaces,
      generation: cluster.tokenGeneration,
      jti: id,
      apiKeyId: p.apiKeyId,
    });
    return c.json({ id, role: body.role, namespaces: body.namespaces, token, createdAt: new Date(now).toISOString() }, 201);
  });
}
