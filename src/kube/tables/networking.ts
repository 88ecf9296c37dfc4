import type { Ingress, IngressClass, NetworkPolicy } from '../objects.ts';
import { AGE, NAME, col, printer, selectorText } from './format.ts';

/** The addresses of a load-balancer status, comma-joined (IPs and hostnames), as kubectl prints them. */
export function loadBalancerAddresses(status: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined): string {
  return (status?.loadBalancer?.ingress ?? [])
    .map((i) => i.ip || i.hostname)
    .filter(Boolean)
    .join(',');
}

function ingressHosts(ing: Ingress): string {
  const hosts = (ing.spec?.rules ?? []).map((r) => r?.host).filter(Boolean);
  return hosts.length ? hosts.join(',') : '*';
}

export const ingressPrinter = printer<Ingress>([
  NAME,
  [col('Class', 'string', 0, 'ingressClassName is the name of an IngressClass cluster resource.'), (ing) => ing.spec?.ingressClassName ?? '<none>'],
  [col('Hosts', 'string', 0, 'Hosts that incoming requests are matched against before the ingress rule'), ingressHosts],
  [col('Address', 'string', 0, 'Address is a list containing ingress points for the load-balancer'), (ing) => loadBalancerAddresses(ing.status)],
  [col('Ports', 'string', 0, 'Ports of TLS configurations that open'), (ing) => ((ing.spec?.tls ?? []).length ? '80, 443' : '80')],
  AGE,
]);

function ingressClassParameters(ic: IngressClass): string {
  const p = ic.spec?.parameters;
  return p ? `${p.apiGroup ? `${p.kind}.${p.apiGroup}` : p.kind}/${p.name}` : '<none>';
}

export const ingressClassPrinter = printer<IngressClass>([
  NAME,
  [col('Controller', 'string', 0, 'Controller refers to the name of the controller that should handle this class.'), (ic) => ic.spec?.controller ?? ''],
  [col('Parameters', 'string', 0, 'Parameters is a link to a custom resource containing additional configuration for the controller.'), ingressClassParameters],
  AGE,
]);

export const networkPolicyPrinter = printer<NetworkPolicy>([
  NAME,
  [col('Pod-Selector', 'string', 0, 'Selects the pods to which this NetworkPolicy object applies.'), (np) => selectorText(np.spec?.podSelector)],
  AGE,
]);
