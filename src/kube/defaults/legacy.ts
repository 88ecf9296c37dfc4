/* eslint-disable @typescript-eslint/no-explicit-any */
import { defaultPodTemplate } from './pod.ts';

/**
 * SetDefaults_ReplicationController: an empty selector becomes the template's labels, so do the
 * controller's own labels, and one replica by default.
 */
export function defaultReplicationController(rc: any): void {
  rc.spec ??= {};
  const labels = rc.spec.template?.metadata?.labels;
  if (labels && Object.keys(labels).length > 0) {
    if (!rc.spec.selector || Object.keys(rc.spec.selector).length === 0) rc.spec.selector = { ...labels };
    if (!rc.metadata.labels || Object.keys(rc.metadata.labels).length === 0) rc.metadata.labels = { ...labels };
  }
  rc.spec.replicas ??= 1;
  defaultPodTemplate(rc.spec.template);
}

export function defaultPodTemplateObject(pt: any): void {
  defaultPodTemplate(pt.template);
}
