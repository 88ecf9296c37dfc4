import type { ComponentStatus, PodTemplateObject, ReplicationController } from '../objects.ts';
import { AGE, NAME, col, containerImages, containerNames, mapSelectorText, nameColumn, printer } from './format.ts';
import { selectorColumn, templateColumns } from './workloads.ts';

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

export const replicationControllerPrinter = printer<ReplicationController>([
  NAME,
  [col('Desired', 'integer', 0, 'Replicas is the number of desired replicas.'), (rc) => num(rc.spec?.replicas)],
  [col('Current', 'integer', 0, 'Replicas is the most recently observed number of replicas.'), (rc) => num(rc.status?.replicas)],
  [col('Ready', 'integer', 0, 'The number of ready replicas for this replication controller.'), (rc) => num(rc.status?.readyReplicas)],
  AGE,
  ...templateColumns((rc) => rc.spec?.template?.spec),
  selectorColumn((rc) => mapSelectorText(rc.spec?.selector)),
]);

export const podTemplatePrinter = printer<PodTemplateObject>([
  [{ ...nameColumn, name: 'Template' }, (pt) => pt.metadata.name],
  [col('Containers', 'string', 0, 'Names of each container in the template.'), (pt) => containerNames(pt.template?.spec)],
  [col('Images', 'string', 0, 'Images referenced by each container in the template.'), (pt) => containerImages(pt.template?.spec)],
  [col('Pod Labels', 'string', 0, 'The labels for the pod template.'), (pt) => mapSelectorText(pt.template?.metadata?.labels)],
]);

const healthy = (cs: ComponentStatus) => (cs.conditions ?? []).find((c) => c.type === 'Healthy');

export const componentStatusPrinter = printer<ComponentStatus>([
  NAME,
  [col('Status', 'string', 0, 'Status of the component conditions'), (cs) => (healthy(cs)?.status === 'True' ? 'Healthy' : 'Unhealthy')],
  [col('Message', 'string', 0, 'Message of the component conditions'), (cs) => healthy(cs)?.message ?? ''],
  [col('Error', 'string', 0, 'Error of the component conditions'), (cs) => healthy(cs)?.error ?? ''],
]);
