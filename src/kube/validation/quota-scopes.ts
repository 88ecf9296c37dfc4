import { fieldsOf, listOf } from '../json.ts';
import { fieldInvalid, fieldRequired, type FieldError } from '../status.ts';
import { QUOTA_SCOPES } from '../admission/quota-scopes.ts';

/** Quota resource names the API server knows (helper.IsStandardQuotaResourceName), besides hugepages. */
const STANDARD_QUOTA_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'services.nodeports',
  'services.loadbalancers',
]);
const POD_COMPUTE = new Set(['cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory']);
/** Scopes that only make sense with `Exists`: they are yes/no properties of a pod. */
const EXISTS_ONLY = new Set(['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity']);
const CONFLICTS = [
  ['BestEffort', 'NotBestEffort'],
  ['Terminating', 'NotTerminating'],
];

const isStandardQuotaResource = (k: string) => STANDARD_QUOTA_RESOURCES.has(k) || /^requests\.hugepages-/.test(k);

/** IsResourceQuotaScopeValidForResource: BestEffort pods request nothing, so only their count can be capped. */
export function scopeTracksResource(scope: string, resource: string): boolean {
  if (scope === 'BestEffort') return resource === 'pods';
  if (QUOTA_SCOPES.includes(scope)) return resource === 'pods' || POD_COMPUTE.has(resource);
  return true;
}

function scopeUnfitFor(scope: string, hard: Record<string, unknown>): boolean {
  return Object.keys(hard).some((k) => isStandardQuotaResource(k) && !scopeTracksResource(scope, k));
}

/** spec.scopes and spec.scopeSelector as ValidateResourceQuotaSpec checks them. */
export function validateQuotaScopes(rawSpec: unknown): FieldError[] {
  const spec = fieldsOf(rawSpec);
  const errs: FieldError[] = [];
  // Read as they came: a value of the wrong type is judged by the checks below as before.
  const hard = (spec.hard ?? {}) as Record<string, unknown>;
  const scopes: string[] = listOf(spec.scopes) as string[];
  if (scopes.length) {
    for (const scope of scopes) {
      if (!QUOTA_SCOPES.includes(scope)) errs.push(fieldInvalid('spec.scopes', scopes, 'unsupported scope'));
      if (scopeUnfitFor(scope, hard)) errs.push(fieldInvalid('spec.scopes', scopes, 'unsupported scope applied to resource'));
    }
    for (const pair of CONFLICTS) if (pair.every((s) => scopes.includes(s))) errs.push(fieldInvalid('spec.scopes', scopes, 'conflicting scopes'));
  }
  const selector = spec.scopeSelector;
  if (!selector) return errs;
  const path = 'spec.scopeSelector.matchExpressions';
  const seen = new Set<string>();
  for (const rawReq of listOf(fieldsOf(selector).matchExpressions)) {
    const req = fieldsOf(rawReq);
    const name = req.scopeName as string;
    const values: unknown[] = listOf(req.values);
    if (!QUOTA_SCOPES.includes(name)) errs.push(fieldInvalid(`${path}.scopeName`, name, 'unsupported scope'));
    if (scopeUnfitFor(name, hard)) errs.push(fieldInvalid(path, selector, 'unsupported scope applied to resource'));
    if (EXISTS_ONLY.has(name) && req.operator !== 'Exists') {
      errs.push(
        fieldInvalid(
          `${path}.operator`,
          req.operator,
          "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
        ),
      );
    }
    if (req.operator === 'In' || req.operator === 'NotIn') {
      if (values.length === 0) errs.push(fieldRequired(`${path}.values`, "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
    } else if (req.operator === 'Exists' || req.operator === 'DoesNotExist') {
      if (values.length) errs.push(fieldInvalid(`${path}.values`, values, "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
    } else {
      errs.push(fieldInvalid(`${path}.operator`, req.operator, 'not a valid selector operator'));
    }
    seen.add(name);
  }
  for (const pair of CONFLICTS) if (pair.every((s) => seen.has(s))) errs.push(fieldInvalid(path, selector, 'conflicting scopes'));
  return errs;
}
