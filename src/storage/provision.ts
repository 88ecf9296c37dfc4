import type { KubeObject } from '../kube/types.ts';
import { formatQuantity } from '../lib/quantity.ts';
import { hexDigest } from '../lib/digest.ts';
import { claimRequestBytes } from './matching.ts';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';
const GiB = 1024 ** 3;

/** Cloud disks come in whole GiB: the provisioned size is the request rounded up (at least 1 GiB). */
export function provisionedBytes(pvc: KubeObject): number {
  return Math.max(1, Math.ceil(claimRequestBytes(pvc) / GiB)) * GiB;
}

const MIGRATED: Record<string, string> = {
  'kubernetes.io/aws-ebs': 'ebs.csi.aws.com',
  'kubernetes.io/gce-pd': 'pd.csi.storage.gke.io',
  'kubernetes.io/azure-disk': 'disk.csi.azure.com',
  'kubernetes.io/azure-file': 'file.csi.azure.com',
};

/** The CSI driver that serves a class's provisioner (in-tree names are migrated to theirs). */
export function csiDriverOf(provisioner: string): string {
  return MIGRATED[provisioner] ?? provisioner;
}

/** The CSI drivers each provider's managed clusters run, so only their classes are provisioned. */
const PROVIDER_DRIVERS: Record<string, string[]> = {
  eks: ['ebs.csi.aws.com', 'efs.csi.aws.com'],
  gke: ['pd.csi.storage.gke.io', 'filestore.csi.storage.gke.io'],
  aks: ['disk.csi.azure.com', 'file.csi.azure.com'],
};

/** Whether the provider runs a provisioner for this class (unknown providers provision anything). */
export function providerProvisions(provider: string, provisioner: string): boolean {
  const drivers = PROVIDER_DRIVERS[provider];
  return !drivers || drivers.includes(csiDriverOf(provisioner));
}

/** The disk's id as the provider's CSI driver names it. */
function volumeHandle(provisioner: string, pvName: string, zone: string | undefined, clusterId: string): string {
  const hex = hexDigest(`disk:${clusterId}/${pvName}`);
  switch (provisioner) {
    case 'ebs.csi.aws.com':
      return `vol-0${hex.slice(0, 16)}`;
    case 'pd.csi.storage.gke.io':
      return `projects/kates-${clusterId.replace(/_/g, '-')}/zones/${zone ?? 'us-central1-a'}/disks/${pvName}`;
    case 'disk.csi.azure.com':
      return `/subscriptions/${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}/resourceGroups/mc_kates/providers/Microsoft.Compute/disks/${pvName}`;
    default:
      return `${pvName}-${hex.slice(0, 12)}`;
  }
}

/**
 * The PV a provisioner creates for a claim (k8s-behavior §12): named `pvc-<claim uid>`, the
 * request rounded up to whole GiB, the claim's access and volume modes, the class's reclaim policy,
 * already bound to the claim, and pinned to the zone it was created in.
 */
export function provisionedVolume(pvc: KubeObject, sc: KubeObject, zone: string | undefined, clusterId: string): KubeObject {
  const name = `pvc-${pvc.metadata.uid}`;
  const provisioner = sc.provisioner as string;
  const spec: Record<string, unknown> = {
    capacity: { storage: formatQuantity(provisionedBytes(pvc), 'BinarySI') },
    accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
    volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
    storageClassName: sc.metadata.name,
    persistentVolumeReclaimPolicy: (sc.reclaimPolicy as string) ?? 'Delete',
    claimRef: {
      kind: 'PersistentVolumeClaim',
      apiVersion: 'v1',
      namespace: pvc.metadata.namespace,
      name: pvc.metadata.name,
      uid: pvc.metadata.uid,
      resourceVersion: pvc.metadata.resourceVersion,
    },
  };
  // In-tree provisioners are served by their CSI drivers (CSI migration), as on current clusters.
  const driver = csiDriverOf(provisioner);
  const handle = volumeHandle(driver, name, zone, clusterId);
  spec.csi = {
    driver,
    volumeHandle: handle,
    fsType: 'ext4',
    volumeAttributes: { 'storage.kubernetes.io/csiProvisionerIdentity': `${parseInt(hexDigest(driver, 8), 16)}-${driver}` },
  };
  if (sc.mountOptions) spec.mountOptions = sc.mountOptions;
  if (zone) spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE_LABEL, operator: 'In', values: [zone] }] }] } };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name,
      annotations: {
        'pv.kubernetes.io/provisioned-by': provisioner,
        ...(MIGRATED[provisioner] ? { 'pv.kubernetes.io/migrated-to': driver } : {}),
        'volume.kubernetes.io/provisioner-deletion-secret-name': '',
        'volume.kubernetes.io/provisioner-deletion-secret-namespace': '',
      },
      finalizers: ['kubernetes.io/pv-protection', 'external-provisioner.volume.kubernetes.io/finalizer'],
    },
    spec,
    status: { phase: 'Bound' },
  };
}
