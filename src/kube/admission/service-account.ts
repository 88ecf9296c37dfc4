import type { ObjectStore } from '../../store/objects.ts';
import type { IVolume } from 'kubernetes-models/v1';
import type { Container } from '../objects.ts';
import type { KubeObject } from '../types.ts';
import { generateName } from '../objects/prepare.ts';

export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Upstream's projected token lifetime: an hour plus seven seconds, so the kubelet refreshes it in time. */
const TOKEN_SECONDS = 3607;

/**
 * The ServiceAccount admission plugin: the account's imagePullSecrets, and its token mount: unless the pod or its ServiceAccount opts out
 * (`automountServiceAccountToken: false`) or a container already mounts the path, the pod gets a
 * projected `kube-api-access-*` volume (a bound token, the cluster CA from kube-root-ca.crt and
 * the namespace) mounted read-only in every container. Pods whose ServiceAccount does not exist
 * are left as they are (upstream refuses them; here namespaces made before ServiceAccounts existed
 * keep working).
 */
export async function mountServiceAccountToken(store: ObjectStore, clusterId: string, pod: KubeObject): Promise<void> {
  const spec = pod.spec;
  const sa = await store.get(clusterId, 'serviceaccounts', pod.metadata.namespace ?? 'default', spec.serviceAccountName);
  if (!sa) return;
  // The account's image pull secrets go to pods that name none of their own.
  if (Array.isArray(sa.imagePullSecrets) && sa.imagePullSecrets.length && !spec.imagePullSecrets?.length)
    spec.imagePullSecrets = structuredClone(sa.imagePullSecrets);
  if (spec.automountServiceAccountToken === false) return;
  if (spec.automountServiceAccountToken === undefined && sa.automountServiceAccountToken === false) return;
  const containers: Container[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  if (containers.some((c) => (c?.volumeMounts ?? []).some((m) => m?.mountPath === SERVICE_ACCOUNT_MOUNT_PATH))) return;
  const volumes: IVolume[] = spec.volumes ?? [];
  let name = generateName('kube-api-access-');
  while (volumes.some((v) => v?.name === name)) name = generateName('kube-api-access-');
  spec.volumes = [
    ...volumes,
    {
      name,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: TOKEN_SECONDS, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    },
  ];
  for (const c of containers) {
    if (!c || typeof c !== 'object') continue;
    c.volumeMounts = [...(c.volumeMounts ?? []), { name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }];
  }
}
