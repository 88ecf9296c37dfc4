import type { Context } from 'hono';
import type { Registry } from '../registry/index.ts';
import { failure } from '../status.ts';
import { isPathless } from '../pathless.ts';
import { openapiGroupVersion, openapiIndex } from '../openapi/v3.ts';
import { openapiV2 } from '../openapi/v2.ts';
import { cachedBytes, cachedDocument } from '../openapi/cache.ts';
import { encodeOpenapiV2, OPENAPI_V2_PROTOBUF } from '../openapi/v2-protobuf.ts';
import { send } from './send.ts';

const notFoundPath = () => failure(404, 'NotFound', 'the server could not find the requested resource', {});

/**
 * `/openapi/v2`: kubectl asks for protobuf (client-side apply reads patch strategies from it); other
 * clients for JSON. `shared` says the registry is the built-in one, whose documents are kept.
 */
export function openapiV2Document(c: Context, registry: Registry, shared: boolean): Response {
  const accept = c.req.header('accept') ?? '';
  if (/protobuf/.test(accept)) {
    const bytes = shared ? cachedBytes(registry, 'v2', () => encodeOpenapiV2(openapiV2(registry))) : encodeOpenapiV2(openapiV2(registry));
    // Upstream answers this one as octet-stream: the '@' in the requested type is no valid MIME token.
    return new Response(bytes, { status: 200, headers: { 'content-type': 'application/octet-stream' } });
  }
  if (accept && !/application\/json|\*\/\*/.test(accept))
    throw failure(406, 'NotAcceptable', `only the following media types are accepted: application/json, ${OPENAPI_V2_PROTOBUF}`, {});
  return send({ status: 200, body: shared ? cachedDocument(registry, 'v2', () => openapiV2(registry)) : openapiV2(registry) });
}

/** `/openapi/v3`: the index, with paths relative to where the client reached the API. */
export function openapiV3Index(c: Context, registry: Registry): Response {
  const prefix = isPathless(c.req.raw) ? '' : c.req.path.slice(0, c.req.path.length - '/openapi/v3'.length);
  return send({ status: 200, body: openapiIndex(registry, prefix) });
}

/** `/openapi/v3/api/v1`, `/openapi/v3/apis/<group>/<version>`: one group version's document. */
export function openapiV3GroupVersion(c: Context, registry: Registry, shared: boolean): Response {
  const segs = (c.req.param('rest') ?? '').split('/');
  const [group, version] = segs[0] === 'api' ? ['', segs[1]] : segs[0] === 'apis' ? [segs[1], segs[2]] : ['', ''];
  if (!version || !registry.hasGroupVersion(group, version)) throw notFoundPath();
  const build = () => openapiGroupVersion(registry, group, version);
  // Built-in kinds' documents are the same for every cluster: kept; a cluster with CRDs gets its own each time.
  return send({ status: 200, body: shared ? cachedDocument(registry, `v3/${group}/${version}`, build) : build() });
}
