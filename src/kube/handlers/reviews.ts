import type { KubeObject } from '../types.ts';
import { authorize, rulesFor } from '../auth/authorize.ts';
import { isPlainObject } from '../patch/merge.ts';
import { badRequest } from '../status.ts';
import { json, type KubeRequest, type KubeResponse } from './context.ts';

/** Whether a resource name refers to a namespaced kind (unknown or `*` resources count as namespaced when a namespace is given). */
function isNamespaced(req: KubeRequest, group: string, resource: string, namespace: string): boolean {
  const def = req.registry.all.find((d) => d.group === group && d.plural === resource);
  return def ? def.namespaced : namespace !== '';
}

const NON_RESOURCE_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'];

/** `kubectl auth can-i`, `auth can-i --list` and `auth whoami`, answered from the caller's token. */
export function handleReview(req: KubeRequest, body: unknown): KubeResponse {
  if (!isPlainObject(body)) throw badRequest('the body of the request must be an object');
  const review = body as KubeObject;
  const p = req.principal;
  const base = { apiVersion: `${req.def.group}/${req.def.version}`, kind: req.def.kind, metadata: { creationTimestamp: null } };
  switch (req.def.plural) {
    case 'selfsubjectaccessreviews': {
      const ra = review.spec?.resourceAttributes;
      let allowed: boolean;
      if (ra) {
        const ns = ra.namespace ?? '';
        allowed = authorize(p, {
          verb: ra.verb ?? '',
          group: ra.group ?? '',
          resource: ra.resource ?? '',
          subresource: ra.subresource || undefined,
          namespace: ns || undefined,
          name: ra.name || undefined,
          namespaced: isNamespaced(req, ra.group ?? '', ra.resource ?? '', ns),
        });
      } else {
        // Discovery and version endpoints are open to every authenticated token.
        const path: string = review.spec?.nonResourceAttributes?.path ?? '';
        allowed = p.role === 'cluster-admin' || (review.spec?.nonResourceAttributes?.verb === 'get' && NON_RESOURCE_URLS.some((u) => u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1)))));
      }
      return json(201, { ...base, spec: review.spec, status: allowed ? { allowed: true, reason: `allowed by the ${p.role} role of this token` } : { allowed: false } });
    }
    case 'selfsubjectrulesreview':
    case 'selfsubjectrulesreviews': {
      const ns = review.spec?.namespace ?? 'default';
      return json(201, {
        ...base,
        spec: review.spec ?? {},
        status: {
          resourceRules: rulesFor(p, ns),
          nonResourceRules: [{ verbs: p.role === 'cluster-admin' ? ['*'] : ['get'], nonResourceURLs: p.role === 'cluster-admin' ? ['*'] : NON_RESOURCE_URLS }],
          incomplete: false,
        },
      });
    }
    default:
      return json(201, { ...base, status: { userInfo: { username: p.subject, uid: p.subject, groups: [`kates:${p.role}`, 'system:authenticated'], extra: { 'kates.dev/tenant': [p.tenantId], 'kates.dev/cluster': [p.clusterId] } } } });
  }
}
