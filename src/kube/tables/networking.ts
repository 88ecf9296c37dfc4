/* eslint-disable @typescript-eslint/no-explicit-any */
import { age, ageColumn, col, nameColumn, selectorText, type Printer } from './format.ts';

/** The addresses of a load-balancer status, comma-joined (IPs and hostnames), as kubectl prints them. */
export function loadBalancerAddresses(status: any): string {
  return ((status?.loadBalancer?.ingress ?? []) as any[]).map((i) => i.ip || i.hostname).filter(Boolean).join(',');
}

export const ingressPrinter: Printer = {
  columns: [
    nameColumn,
    col('Class', 'string', 0, 'ingressClassName is the name of an IngressClass cluster resource.'),
    col('Hosts', 'string', 0, 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 0, 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 0, 'Ports of TLS configurations that open'),
    ageColumn,
  ],
  cells: (ing, now) => {
    const hosts = ((ing.spec?.rules ?? []) as any[]).map((r) => r?.host).filter(Boolean);
    return [
      ing.metadata.name,
      ing.spec?.ingressClassName ?? '<none>',
      hosts.length ? hosts.join(',') : '*',
      loadBalancerAddresses(ing.status),
      (ing.spec?.tls ?? []).length ? '80, 443' : '80',
      age(ing, now),
    ];
  },
};

export const ingressClassPrinter: Printer = {
  columns: [
    nameColumn,
    col('Controller', 'string', 0, 'Controller refers to the name of the controller that should handle this class.'),
    col('Parameters', 'string', 0, 'Parameters is a link to a custom resource containing additional configuration for the controller.'),
    ageColumn,
  ],
  cells: (ic, now) => {
    const p = ic.spec?.parameters;
    const params = p ? `${p.apiGroup ? `${p.kind}.${p.apiGroup}` : p.kind}/${p.name}` : '<none>';
    return [ic.metadata.name, ic.spec?.controller ?? '', params, age(ic, now)];
  },
};

export const networkPolicyPrinter: Printer = {
  columns: [nameColumn, col('Pod-Selector', 'string', 0, 'Selects the pods to which this NetworkPolicy object applies.'), ageColumn],
  cells: (np, now) => {
    const sel = selectorText(np.spec?.podSelector);
    return [np.metadata.name, sel === '<none>' ? '<none>' : sel, age(np, now)];
  },
};
