import type { ObjectStore } from '../../store/objects.ts';
import { failure, notFound } from '../status.ts';

const namespaces = { plural: 'namespaces', group: '', kind: 'Namespace' };

/** NamespaceLifecycle: content needs an existing namespace that is not being deleted. */
export async function checkNamespaceForCreate(store: ObjectStore, clusterId: string, ns: string): Promise<void> {
  const obj = await store.get(clusterId, 'namespaces', '', ns);
  if (!obj) throw notFound(namespaces, ns);
  if (obj.metadata.deletionTimestamp || obj.status?.phase === 'Terminating') {
    throw failure(403, 'Forbidden', `unable to create new content in namespace ${ns} because it is being terminated`, {
      name: ns,
      kind: 'namespaces',
      causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }],
    });
  }
}
