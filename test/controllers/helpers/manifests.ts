import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/kube/types.ts';

/** The objects of a manifest from examples/, with the namespace filled in. */
export function loadExample(file: string, namespace = 'default'): KubeObject[] {
  const text = readFileSync(new URL(`../../../examples/${file}`, import.meta.url), 'utf8');
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as KubeObject)
    .filter(Boolean)
    .map((obj) => {
      if (!['StorageClass', 'Node', 'Namespace', 'PersistentVolume'].includes(obj.kind)) obj.metadata.namespace ??= namespace;
      return obj;
    });
}

export const RESOURCE_OF_KIND: Record<string, string> = {
  Deployment: 'deployments.apps',
  ReplicaSet: 'replicasets.apps',
  StatefulSet: 'statefulsets.apps',
  DaemonSet: 'daemonsets.apps',
  Job: 'jobs.batch',
  CronJob: 'cronjobs.batch',
  Service: 'services',
  StorageClass: 'storageclasses.storage.k8s.io',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  Pod: 'pods',
  ConfigMap: 'configmaps',
  Namespace: 'namespaces',
};
