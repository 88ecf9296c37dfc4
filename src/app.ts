import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { stringify } from 'yaml';
import type { Deps } from './deps.ts';
import type { AppEnv } from './api/env.ts';
import { createManagementApi, openApiDocument } from './api/app.ts';
import { ApiError, errorResponse } from './api/errors.ts';
import { allowedMethodsFor } from './api/allowed-methods.ts';
import { randomString } from './lib/ids.ts';
import { databaseCheck, readinessResponse, type ReadinessCheck } from './readiness.ts';
import { pathlessKubeRouting } from './kube/pathless.ts';

export interface AppParts {
  /** The Kubernetes API of one cluster, mounted at /clusters/:clusterId/k8s (and at the root, see src/kube/pathless.ts). */
  kube?: Hono;
  /** Routers of a cluster's API besides `kube` (its Prometheus `/metrics`), under /clusters/:clusterId/k8s too. */
  clusterRouters?: Hono<AppEnv>[];
  /** Extra routers (console, metrics) mounted at the root, ahead of the Kubernetes API's catch-all. */
  extra?: Hono<AppEnv>[];
  /** Middleware that sees every request first (service metrics). */
  middleware?: MiddlewareHandler<AppEnv>[];
  /** Dependencies /readyz probes besides the database (Redis on Node). */
  readiness?: Record<string, ReadinessCheck>;
}

/** The whole HTTP surface, shared by the Node server and the Workers entry. */
export function createApp(deps: Deps, parts: AppParts = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const management = createManagementApi(deps.config.rateLimitPerMinute);
  let specYaml: string | undefined;
  const spec = () => (specYaml ??= stringify(openApiDocument(management), { sortMapEntries: true, aliasDuplicateObjects: false }));

  // Request ids only need to be unique: a random prefix per app and a counter, no randomness per request.
  const requestIdPrefix = `${randomString(8)}-`;
  let requestSeq = 0;
  for (const m of parts.middleware ?? []) app.use('*', m);
  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id') ?? `${requestIdPrefix}${(requestSeq++).toString(36)}`;
    c.set('deps', deps);
    c.set('requestId', requestId);
    c.header('X-Request-Id', requestId);
    const started = Date.now();
    await next();
    const ms = Date.now() - started;
    // 503 is a dependency's outage, logged once where it is noticed, not a fault of this request.
    if (c.res.status === 503)
      deps.log.warn({ requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms }, 'request refused: a dependency is unavailable');
    else if (c.res.status >= 500) deps.log.error({ requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms }, 'request failed');
    else deps.log.debug({ requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms }, 'request');
  });
  // A cluster's Kubernetes API at the root of the host (by host name or cluster token), ahead of the management routes.
  const clusterApi = new Hono<AppEnv>();
  for (const r of parts.clusterRouters ?? []) clusterApi.route('/', r);
  if (parts.kube) clusterApi.route('/clusters/:clusterId/k8s', parts.kube);
  app.use('*', pathlessKubeRouting(clusterApi, deps.config));
  const limitBody = bodyLimit({ maxSize: 1024 * 1024, onError: (c) => errorResponse(c, new ApiError('PAYLOAD_TOO_LARGE', 'request body larger than 1 MiB')) });
  // A GET's body is never read; asking for it would make the Node adapter build a full Request.
  app.use('/v1/*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  const readiness = { database: databaseCheck(deps.database), ...parts.readiness };
  app.get('/readyz', (c) => readinessResponse(c, readiness));
  app.get('/.well-known/jwks.json', async (c) => c.json(await deps.keys.jwks()));
  app.get('/openapi.yaml', (c) => c.body(spec(), 200, { 'Content-Type': 'application/yaml' }));

  app.route('/', management);
  for (const extra of parts.extra ?? []) app.route('/', extra);
  app.route('/', clusterApi);
  // A deployment without the console's files (the console router serves /docs) still says where the contract is.
  app.get('/docs', (c) => c.text('API reference not installed here; the contract is at /openapi.yaml', 404));

  let allowed: ((path: string) => string[]) | undefined;
  app.notFound((c) => {
    if (!c.req.path.startsWith('/v1/')) return c.text('404 page not found', 404);
    allowed ??= allowedMethodsFor(openApiDocument(management).paths as Record<string, Record<string, unknown>>);
    const methods = allowed(c.req.path);
    if (methods.length && !methods.includes(c.req.method)) {
      return errorResponse(
        c,
        new ApiError(
          'METHOD_NOT_ALLOWED',
          `${c.req.method} is not allowed on ${c.req.path} (allowed: ${methods.join(', ')})`,
          {},
          { Allow: methods.join(', ') },
        ),
      );
    }
    return errorResponse(c, new ApiError('NOT_FOUND', `no endpoint ${c.req.method} ${c.req.path}`));
  });
  return app;
}
