import type { KubeObject } from '../types.ts';
import type { ResourceDef } from '../registry/types.ts';
import { resource, statusSub } from '../registry/helpers.ts';
import { nameColumn, type Printer } from '../tables/format.ts';
import { isPlainObject } from '../patch/merge.ts';
import { setCondition, type Condition } from '../../lib/conditions.ts';
import { validateCrd } from './validate-crd.ts';

/** The finalizer that holds a deleted CRD until its objects are gone (the cleanup controller removes it). */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

const GVK = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' };

/** `kubectl get crd`: NAME and CREATED AT (the timestamp itself, not an age). */
const crdPrinter: Printer = {
  columns: [
    nameColumn,
    { name: 'Created At', type: 'date', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' },
  ],
  cells: (obj) => [obj.metadata.name, obj.metadata.creationTimestamp ?? null],
};

function secondsIso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * API defaulting of a CRD, and the names controller's verdict written with it: names are accepted
 * and the CRD is established at once (this server has no informer lag to wait for), so discovery
 * serves the new kind from the very next request. Plural, singular and kind are unique per group
 * by construction (the name is `<plural>.<group>`); other name clashes are not checked.
 */
export function defaultCrd(crd: KubeObject): void {
  const spec = crd.spec;
  if (!isPlainObject(spec)) return;
  spec.conversion ??= { strategy: 'None' };
  const names = isPlainObject(spec.names) ? spec.names : undefined;
  if (names && typeof names.kind === 'string') {
    if (!names.singular) names.singular = names.kind.toLowerCase();
    if (!names.listKind) names.listKind = `${names.kind}List`;
  }
  if (!crd.metadata.deletionTimestamp) {
    const finalizers = crd.metadata.finalizers ?? [];
    if (!finalizers.includes(CRD_CLEANUP_FINALIZER)) crd.metadata.finalizers = [...finalizers, CRD_CLEANUP_FINALIZER];
  }
  const at = typeof crd.metadata.creationTimestamp === 'string' ? crd.metadata.creationTimestamp : secondsIso(Date.now());
  let conditions: Condition[] = Array.isArray(crd.status?.conditions) ? crd.status.conditions : [];
  conditions = setCondition(conditions, {
    type: 'NamesAccepted',
    status: 'True',
    reason: 'NoConflicts',
    message: 'no conflicts found',
    lastTransitionTime: at,
  });
  conditions = setCondition(conditions, {
    type: 'Established',
    status: 'True',
    reason: 'InitialNamesAccepted',
    message: 'the initial names have been accepted',
    lastTransitionTime: at,
  });
  const storage = Array.isArray(spec.versions) ? spec.versions.find((v) => isPlainObject(v) && v.storage === true)?.name : undefined;
  const stored: string[] = Array.isArray(crd.status?.storedVersions) ? crd.status.storedVersions : [];
  crd.status = {
    ...(isPlainObject(crd.status) ? crd.status : {}),
    acceptedNames: names ? structuredClone(names) : {},
    conditions,
    storedVersions: typeof storage === 'string' && !stored.includes(storage) ? [...stored, storage] : stored,
  };
}

export const crdResource: ResourceDef = resource({
  ...GVK,
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  subresources: [statusSub(GVK)],
  defaults: defaultCrd,
  validate: validateCrd,
  printer: crdPrinter,
});
