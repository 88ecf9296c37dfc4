import type { KubeObject } from '../types.ts';
import { decide, rbacOf } from '../auth/authorize.ts';
import { implicitBindings, userOf } from '../../rbac/identity.ts';
import type { PolicyRule, RequestAttributes, UserInfo } from '../../rbac/types.ts';
import { fieldsOf } from '../json.ts';
import { isPlainObject } from '../patch/merge.ts';
import { badRequest, fieldInvalid, fieldRequired, invalid, type FieldError } from '../status.ts';
import { json, type KubeRequest, type KubeResponse } from './context.ts';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The attributes an access review asks about; 422 unless exactly one kind of attributes is given. */
function reviewAttributes(req: KubeRequest, spec: unknown): RequestAttributes {
  const ra = fieldsOf(fieldsOf(spec).resourceAttributes);
  const nra = fieldsOf(fieldsOf(spec).nonResourceAttributes);
  const hasRa = Boolean(fieldsOf(spec).resourceAttributes);
  const hasNra = Boolean(fieldsOf(spec).nonResourceAttributes);
  if ((hasRa ? 1 : 0) + (hasNra ? 1 : 0) !== 1) {
    throw invalid(req.def, '', [
      fieldInvalid(
        'spec.resourceAttributes',
        fieldsOf(spec).resourceAttributes ?? null,
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      ),
    ]);
  }
  if (hasNra) return { kind: 'nonResource', verb: String(nra.verb ?? ''), path: String(nra.path ?? '') };
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  let namespace = str(ra.namespace) || undefined;
  if (req.def.plural === 'localsubjectaccessreviews') {
    if (namespace && namespace !== req.namespace)
      throw invalid(req.def, '', [fieldInvalid('spec.resourceAttributes.namespace', namespace, 'must match metadata.namespace')]);
    namespace = req.namespace;
  }
  return {
    kind: 'resource',
    verb: str(ra.verb),
    group: str(ra.group),
    resource: str(ra.resource),
    subresource: str(ra.subresource) || undefined,
    namespace,
    name: str(ra.name) || undefined,
  };
}

function reviewStatus(d: { allowed: boolean; reason?: string }) {
  return d.allowed ? { allowed: true, ...(d.reason ? { reason: d.reason } : {}) } : { allowed: false };
}

/** A SubjectAccessReview's user: who the spec names (at least a user or a group). */
function specUser(req: KubeRequest, spec: unknown): UserInfo {
  const f = fieldsOf(spec);
  const user = typeof f.user === 'string' ? f.user : '';
  const groups = strings(f.groups);
  if (!user && groups.length === 0) throw invalid(req.def, '', [fieldInvalid('spec.user', user, 'at least one of user or group must be specified')]);
  const extra: Record<string, string[]> = {};
  if (isPlainObject(f.extra)) for (const [k, v] of Object.entries(f.extra)) extra[k] = strings(v);
  return { username: user, groups, ...(typeof f.uid === 'string' ? { uid: f.uid } : {}), ...(Object.keys(extra).length ? { extra } : {}) };
}

/**
 * The authorization and authentication reviews: `kubectl auth can-i` (SelfSubjectAccessReview,
 * and SelfSubjectRulesReview for `--list`), SubjectAccessReview and LocalSubjectAccessReview for
 * any user, and `kubectl auth whoami` (SelfSubjectReview). All are answered from the cluster's RBAC.
 */
export async function handleReview(req: KubeRequest, body: unknown): Promise<KubeResponse> {
  if (!isPlainObject(body)) throw badRequest('the body of the request must be an object');
  const review = body as KubeObject;
  if (review.spec !== undefined && !isPlainObject(review.spec)) throw invalid(req.def, '', [fieldInvalid('spec', review.spec, 'must be an object')]);
  const caller = { deps: req.deps, clusterId: req.clusterId, principal: req.principal };
  const metadata = { creationTimestamp: null, ...(req.def.namespaced ? { namespace: req.namespace } : {}) };
  const base = { apiVersion: `${req.def.group}/${req.def.version}`, kind: req.def.kind, metadata };
  switch (req.def.plural) {
    case 'selfsubjectaccessreviews': {
      const decision = await decide(caller, reviewAttributes(req, review.spec));
      return json(201, { ...base, spec: review.spec, status: reviewStatus(decision) });
    }
    case 'subjectaccessreviews':
    case 'localsubjectaccessreviews': {
      const user = specUser(req, review.spec);
      const attrs = reviewAttributes(req, review.spec);
      const decision = await rbacOf(req.deps).authorize(req.clusterId, user, attrs);
      return json(201, { ...base, spec: review.spec, status: reviewStatus(decision) });
    }
    case 'selfsubjectrulesreviews': {
      const ns = review.spec?.namespace;
      if (ns !== undefined && typeof ns !== 'string') throw invalid(req.def, '', [fieldInvalid('spec.namespace', ns, 'must be a string')]);
      const errs: FieldError[] = ns ? [] : [fieldRequired('spec.namespace', '')];
      if (errs.length) throw invalid(req.def, '', errs);
      const policy = await rbacOf(req.deps).policy(req.clusterId);
      const rules = policy.rulesFor(userOf(req.principal), ns, implicitBindings(req.principal));
      const pick = (r: PolicyRule, keys: (keyof PolicyRule)[]) => Object.fromEntries(keys.filter((k) => r[k]?.length).map((k) => [k, r[k]]));
      return json(201, {
        ...base,
        spec: review.spec,
        status: {
          resourceRules: rules
            .filter((r) => !r.nonResourceURLs?.length)
            .map((r) => ({ verbs: r.verbs, ...pick(r, ['apiGroups', 'resources', 'resourceNames']) })),
          nonResourceRules: rules.filter((r) => r.nonResourceURLs?.length).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
          incomplete: false,
        },
      });
    }
    default:
      return json(201, { ...base, status: { userInfo: userOf(req.principal) } });
  }
}
