import type { KubeObject } from '../kube/types.ts';

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
export const STORAGE_CLASS_RESOURCE = 'storageclasses.storage.k8s.io';

function storageClass(
  name: string,
  provisioner: string,
  parameters: Record<string, string>,
  opts: { isDefault?: boolean; mode?: string; expand?: boolean } = {},
): KubeObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name, ...(opts.isDefault ? { annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } } : {}) },
    provisioner,
    parameters,
    reclaimPolicy: 'Delete',
    volumeBindingMode: opts.mode ?? 'WaitForFirstConsumer',
    allowVolumeExpansion: opts.expand ?? true,
  };
}

/**
 * The StorageClasses a new cluster of each provider comes with, as the managed services ship
 * them: EBS gp3 on EKS, Persistent Disk standard-rwo on GKE, Azure managed-csi on AKS, each the
 * default and binding at first consumer, plus the usual alternatives.
 */
export function defaultStorageClasses(provider: string): KubeObject[] {
  switch (provider) {
    case 'gke':
      return [
        storageClass('standard-rwo', 'pd.csi.storage.gke.io', { type: 'pd-balanced' }, { isDefault: true }),
        storageClass('premium-rwo', 'pd.csi.storage.gke.io', { type: 'pd-ssd' }),
        storageClass('standard', 'kubernetes.io/gce-pd', { type: 'pd-standard' }, { mode: 'Immediate' }),
      ];
    case 'aks':
      return [
        storageClass('managed-csi', 'disk.csi.azure.com', { skuname: 'StandardSSD_LRS' }, { isDefault: true }),
        storageClass('managed-csi-premium', 'disk.csi.azure.com', { skuname: 'Premium_LRS' }),
        storageClass('azurefile-csi', 'file.csi.azure.com', { skuName: 'Standard_LRS' }, { mode: 'Immediate' }),
      ];
    default:
      return [
        storageClass('gp3', 'ebs.csi.aws.com', { type: 'gp3', 'csi.storage.k8s.io/fstype': 'ext4' }, { isDefault: true }),
        storageClass('gp2', 'kubernetes.io/aws-ebs', { type: 'gp2', fsType: 'ext4' }, { expand: true }),
      ];
  }
}

/** The default class: annotated default; with several, the newest wins (k8s-behavior §12). */
export function defaultClass(classes: KubeObject[]): KubeObject | undefined {
  return classes
    .filter(
      (c) =>
        c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true' ||
        c.metadata.annotations?.['storageclass.beta.kubernetes.io/is-default-class'] === 'true',
    )
    .sort(
      (a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || a.metadata.name!.localeCompare(b.metadata.name!),
    )[0];
}

/** Access modes a provisioner's volumes support: block disks attach to one node, file shares to many. */
export function supportedAccessModes(provisioner: string): string[] {
  if (provisioner === 'file.csi.azure.com' || provisioner === 'efs.csi.aws.com' || provisioner === 'filestore.csi.storage.gke.io') {
    return ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
  }
  return ['ReadWriteOnce', 'ReadWriteOncePod', 'ReadOnlyMany'];
}
