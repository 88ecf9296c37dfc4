import type { AdmissionScope } from './scope.ts';
import { failure, notFound } from '../status.ts';

const namespaces = { plural: 'namespaces', group: '', kind: 'Namespace' };

/** NamespaceLifecycle: content needs an existing namespace that is not being deleted. */
export async function checkNamespaceForCreate(scope: AdmissionScope, ns: string): Promise<void> {
  const obj = await scope.namespace(ns);
  if (!obj) {
    if (scope.requireNamespace) throw notFound(namespaces, ns);
    return;
  }
  if (obj.metadata.deletionTimestamp || obj.status?.phase === 'Terminating') {
    throw failure(403, 'Forbidden', `unable to create new content in namespace ${ns} because it is being terminated`, {
      name: ns,
      kind: 'namespaces',
      causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }],
    });
  }
}
