import type { ResourceDef } from './types.ts';
import { resource, scaleSub, statusSub } from './helpers.ts';
import { defaultPodTemplateObject, defaultReplicationController } from '../defaults/legacy.ts';
import { validatePodTemplate, validateReplicationController } from '../validation/legacy.ts';
import { componentStatusPrinter, podTemplatePrinter, replicationControllerPrinter } from '../tables/legacy.ts';
import { selectorString, fromLabelSelector } from '../selectors/labels.ts';

const core = (kind: string) => ({ group: '', version: 'v1', kind });

/**
 * Core kinds older tools still expect: `kubectl apply --prune`'s default allowlist names
 * ReplicationControllers, charts ship PodTemplates, and `kubectl get cs` reads ComponentStatuses.
 */
export const legacyCoreResources: ResourceDef[] = [
  resource({
    ...core('ReplicationController'),
    plural: 'replicationcontrollers',
    singular: 'replicationcontroller',
    namespaced: true,
    shortNames: ['rc'],
    categories: ['all'],
    subresources: [scaleSub, statusSub(core('ReplicationController'))],
    defaults: defaultReplicationController,
    validate: validateReplicationController,
    printer: replicationControllerPrinter,
    scale: { selector: (o) => (o.spec?.selector ? selectorString(fromLabelSelector({ matchLabels: o.spec.selector }) ?? []) : '') },
  }),
  resource({
    ...core('PodTemplate'),
    plural: 'podtemplates',
    singular: 'podtemplate',
    namespaced: true,
    defaults: defaultPodTemplateObject,
    validate: validatePodTemplate,
    printer: podTemplatePrinter,
    statusFields: [],
  }),
  // Computed on read (handlers/component-status.ts); never stored.
  resource({
    ...core('ComponentStatus'),
    plural: 'componentstatuses',
    singular: 'componentstatus',
    namespaced: false,
    shortNames: ['cs'],
    verbs: ['get', 'list'],
    printer: componentStatusPrinter,
    statusFields: [],
  }),
];
