import type { Context } from 'hono';
import type { KubeDeps } from '../deps.ts';
import type { KubeEnv } from '../middleware/env.ts';
import type { Registry } from '../registry/index.ts';
import type { ApiPath } from '../path.ts';
import type { Verb } from '../registry/types.ts';
import { requireAllowed } from '../auth/authorize.ts';
import { badRequest, failure, methodNotAllowed } from '../status.ts';
import { bodyText, decodeBody, readBodyBytes } from './body.ts';
import type { KubeRequest, KubeResponse } from './context.ts';
import { send } from './send.ts';
import { handleGet, handleList } from './read.ts';
import { handleCreate, handleUpdate } from './write.ts';
import { handlePatch } from './patch.ts';
import { handleDelete, handleDeleteCollection } from './delete.ts';
import { handleWatch } from './watch.ts';
import { handleScale } from './scale.ts';
import { handlePodLog } from './pod-log.ts';
import { handleEviction } from './eviction.ts';
import { handleBinding } from './binding.ts';
import { handleFinalize } from './finalize.ts';
import { handleReview } from './reviews.ts';
import { handleMetrics } from './metrics.ts';
import { handleTokenRequest } from './token-request.ts';
import { handleComponentStatus } from './component-status.ts';
import { handlePodStream, SIMULATED } from './exec.ts';

type ResourcePath = Extract<ApiPath, { type: 'resource' }>;

const notFound = () => failure(404, 'NotFound', 'the server could not find the requested resource', {});

/** The RBAC verb of a request. */
function verbOf(method: string, path: ResourcePath, query: URLSearchParams): string {
  // A WebSocket exec is a GET, but authorized as upstream does since 1.31: `create` on pods/exec.
  if (path.subresource === 'exec' || path.subresource === 'attach' || path.subresource === 'portforward') return 'create';
  const watch = path.legacyWatch || query.get('watch') === 'true' || query.get('watch') === '1';
  switch (method) {
    case 'GET':
    case 'HEAD':
      return path.name ? (watch ? 'watch' : 'get') : watch ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return path.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

/**
 * Routes one resource request to its verb handler after checking verbs and permissions. The
 * access middleware has already authenticated the caller and found the cluster.
 */
export async function dispatchResource(c: Context<KubeEnv>, deps: KubeDeps, registry: Registry, path: ResourcePath): Promise<Response> {
  const clusterId = c.req.param('clusterId') ?? '';
  const principal = c.get('caller');
  const def = registry.find(path.group, path.version, path.plural);
  if (!def) throw notFound();
  const method = c.req.method;
  const url = new URL(c.req.url);
  const verb = verbOf(method, path, url.searchParams);
  // A namespaced kind addressed without a namespace can only be listed or watched across namespaces.
  if (def.namespaced && !path.namespace && path.name) throw notFound();
  if (def.namespaced && !path.namespace && (verb === 'create' || verb === 'deletecollection')) throw notFound();
  const sub = path.subresource ? def.subresources?.find((s) => s.name === path.subresource) : undefined;
  if (path.subresource && !sub) throw notFound();
  const allowedVerbs: string[] = sub ? sub.verbs : def.verbs;
  if (!allowedVerbs.includes(verb as Verb) && !(verb === 'watch' && allowedVerbs.includes('list'))) throw methodNotAllowed();
  // A namespace is its own namespace to RBAC, so a RoleBinding there may grant reading it.
  const namespace = def.group === '' && def.plural === 'namespaces' && path.name ? path.name : path.namespace;
  await requireAllowed(
    { deps, clusterId, principal },
    { verb, group: def.group, resource: def.plural, subresource: path.subresource, namespace, name: path.name },
  );

  const req: KubeRequest = {
    deps,
    registry,
    clusterId,
    cluster: c.get('cluster'),
    principal,
    def,
    storageDef: registry.storageDef(def.storage) ?? def,
    namespace: path.namespace,
    name: path.name,
    subresource: path.subresource,
    query: url.searchParams,
    accept: c.req.header('accept') ?? '',
    contentType: c.req.header('content-type') ?? 'application/json',
    raw: c.req.raw,
    warnings: [],
  };
  const bodyBytes = method === 'GET' || method === 'HEAD' ? undefined : await readBodyBytes(c.req.raw);
  const text = () => bodyText(bodyBytes ?? new Uint8Array());
  const body = () => (bodyBytes && bodyBytes.length > 0 ? decodeBody(bodyBytes, req.contentType) : undefined);

  if (def.group === 'metrics.k8s.io' && deps.metricsApi) return send(await handleMetrics(req, deps.metricsApi));
  if (def.storage === 'componentstatuses') return send(handleComponentStatus(req, verb), req.warnings);
  if (def.virtual) {
    if (def.plural === 'bindings') return send(await handleBinding(req, body(), (body() as { metadata?: { name?: string } })?.metadata?.name ?? ''));
    return send(await handleReview(req, body()));
  }

  const done = (r: KubeResponse) => send(r, req.warnings);
  switch (path.subresource) {
    case undefined:
      break;
    case 'status':
      if (verb === 'get') return done(await handleGet(req));
      if (verb === 'update') return done(await handleUpdate(req, body(), true));
      return done(await handlePatch(req, text(), { statusOnly: true }));
    case 'scale':
      return done(await handleScale(req, method, text()));
    case 'log':
      return handlePodLog(req);
    case 'eviction':
      return done(await handleEviction(req, body()));
    case 'binding':
      return done(await handleBinding(req, body(), path.name!));
    case 'finalize':
      return done(await handleFinalize(req, body()));
    case 'token':
      return done(await handleTokenRequest(req, body()));
    case 'ephemeralcontainers':
      if (verb === 'get') return done(await handleGet(req));
      throw badRequest(SIMULATED.debug);
    case 'exec':
    case 'attach':
    case 'portforward':
      return handlePodStream(c, req, path.subresource);
    default:
      throw notFound();
  }
  switch (verb) {
    case 'get':
      return done(await handleGet(req));
    case 'list':
      return done(await handleList(req));
    case 'watch':
      return handleWatch(req);
    case 'create':
      if (path.name) throw methodNotAllowed();
      return done(await handleCreate(req, body()));
    case 'update':
      return done(await handleUpdate(req, body()));
    case 'patch':
      return done(await handlePatch(req, text()));
    case 'delete':
      return done(await handleDelete(req, body()));
    case 'deletecollection':
      return done(await handleDeleteCollection(req, body()));
    default:
      throw methodNotAllowed();
  }
}
