import type { AdmissionScope } from './scope.ts';
import { admissionForbidden, notFound } from '../status.ts';
import type { ResourceDef } from '../registry/types.ts';

const namespaces = { plural: 'namespaces', group: '', kind: 'Namespace' };

/**
 * NamespaceLifecycle: content needs an existing namespace that is not being deleted. The refusal is
 * upstream's admission Forbidden on the created object (`configmaps "x" is forbidden: …`) with the
 * NamespaceTerminating cause.
 */
export async function checkNamespaceForCreate(scope: AdmissionScope, ns: string, def: ResourceDef, name: string): Promise<void> {
  const obj = await scope.namespace(ns);
  if (!obj) {
    if (scope.requireNamespace) throw notFound(namespaces, ns);
    return;
  }
  if (obj.metadata.deletionTimestamp || obj.status?.phase === 'Terminating') {
    const err = admissionForbidden(def, name, `unable to create new content in namespace ${ns} because it is being terminated`);
    err.status.details = {
      ...err.status.details,
      causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }],
    };
    throw err;
  }
}
