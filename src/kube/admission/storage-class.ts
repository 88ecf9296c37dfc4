import type { ObjectStore } from '../../store/objects.ts';
import type { KubeObject } from '../types.ts';

const DEFAULT_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

/** DefaultStorageClass admission: a claim without a class gets the default one (newest wins). */
export async function defaultClaimStorageClass(store: ObjectStore, clusterId: string, pvc: KubeObject): Promise<void> {
  if (pvc.spec?.storageClassName !== undefined && pvc.spec.storageClassName !== null) return;
  const { items } = await store.list(clusterId, 'storageclasses.storage.k8s.io', {
    filter: (sc) => DEFAULT_ANNOTATIONS.some((a) => sc.metadata.annotations?.[a] === 'true'),
  });
  if (items.length === 0) return;
  items.sort(
    (a, b) =>
      (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  );
  pvc.spec.storageClassName = items[0].metadata.name;
}
