import type { ResourceDef } from './types.ts';
import { resource, statusSub } from './helpers.ts';
import { defaultIngressClass, defaultNetworkPolicy } from '../defaults/networking.ts';
import { validateIngress, validateIngressClass, validateNetworkPolicy } from '../validation/networking.ts';
import { ingressClassPrinter, ingressPrinter, networkPolicyPrinter } from '../tables/networking.ts';

const networking = (kind: string) => ({ group: 'networking.k8s.io', version: 'v1', kind });

/** networking.k8s.io/v1: Ingresses get addresses from the provider's ingress controller (src/network/ingress-controller.ts). */
export const networkingResources: ResourceDef[] = [
  resource({
    ...networking('Ingress'),
    plural: 'ingresses',
    singular: 'ingress',
    namespaced: true,
    shortNames: ['ing'],
    subresources: [statusSub(networking('Ingress'))],
    validate: validateIngress,
    printer: ingressPrinter,
  }),
  resource({
    ...networking('IngressClass'),
    plural: 'ingressclasses',
    singular: 'ingressclass',
    namespaced: false,
    defaults: defaultIngressClass,
    validate: validateIngressClass,
    printer: ingressClassPrinter,
    statusFields: [],
  }),
  resource({
    ...networking('NetworkPolicy'),
    plural: 'networkpolicies',
    singular: 'networkpolicy',
    namespaced: true,
    shortNames: ['netpol'],
    defaults: defaultNetworkPolicy,
    validate: validateNetworkPolicy,
    printer: networkPolicyPrinter,
    statusFields: [],
  }),
];
