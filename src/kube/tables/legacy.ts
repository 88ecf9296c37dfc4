/* eslint-disable @typescript-eslint/no-explicit-any */
import { age, ageColumn, col, containerImages, containerNames, mapSelectorText, nameColumn, type Printer } from './format.ts';

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

export const replicationControllerPrinter: Printer = {
  columns: [
    nameColumn,
    col('Desired', 'integer', 0, 'Replicas is the number of desired replicas.'),
    col('Current', 'integer', 0, 'Replicas is the most recently observed number of replicas.'),
    col('Ready', 'integer', 0, 'The number of ready replicas for this replication controller.'),
    ageColumn,
    col('Containers', 'string', 1, 'Names of each container in the template.'),
    col('Images', 'string', 1, 'Images referenced by each container in the template.'),
    col('Selector', 'string', 1, 'Label selector for pods.'),
  ],
  cells: (rc, now) => [
    rc.metadata.name,
    num(rc.spec?.replicas),
    num(rc.status?.replicas),
    num(rc.status?.readyReplicas),
    age(rc, now),
    containerNames(rc.spec?.template?.spec),
    containerImages(rc.spec?.template?.spec),
    mapSelectorText(rc.spec?.selector),
  ],
};

export const podTemplatePrinter: Printer = {
  columns: [
    { ...nameColumn, name: 'Template' },
    col('Containers', 'string', 0, 'Names of each container in the template.'),
    col('Images', 'string', 0, 'Images referenced by each container in the template.'),
    col('Pod Labels', 'string', 0, 'The labels for the pod template.'),
  ],
  cells: (pt) => [
    pt.metadata.name,
    containerNames((pt as any).template?.spec),
    containerImages((pt as any).template?.spec),
    mapSelectorText((pt as any).template?.metadata?.labels),
  ],
};

export const componentStatusPrinter: Printer = {
  columns: [
    nameColumn,
    col('Status', 'string', 0, 'Status of the component conditions'),
    col('Message', 'string', 0, 'Message of the component conditions'),
    col('Error', 'string', 0, 'Error of the component conditions'),
  ],
  cells: (cs) => {
    const healthy = ((cs as any).conditions ?? []).find((c: any) => c.type === 'Healthy');
    return [cs.metadata.name, healthy?.status === 'True' ? 'Healthy' : 'Unhealthy', healthy?.message ?? '', healthy?.error ?? ''];
  },
};
