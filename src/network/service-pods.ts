import type { PodCondition } from '../kube/objects.ts';
import type { KubeObject } from '../kube/types.ts';

/** A Service's selector as the endpoint controllers see it: none (or empty) means unmanaged endpoints. */
export function serviceSelector(service: KubeObject): Record<string, string> | undefined {
  const sel = service.spec?.selector;
  if (!sel || Object.keys(sel).length === 0 || service.spec?.type === 'ExternalName') return undefined;
  return sel;
}

/** Candidates: pods of the Service's namespace matching its selector, with an IP, not finished. */
export function servicePods(service: KubeObject, podsOfNamespace: KubeObject[]): KubeObject[] {
  const sel = serviceSelector(service);
  if (!sel) return [];
  return podsOfNamespace.filter((p) => {
    if (!p.status?.podIP || p.status.phase === 'Succeeded' || p.status.phase === 'Failed') return false;
    const labels = p.metadata.labels ?? {};
    return Object.entries(sel).every(([k, v]) => labels[k] === v);
  });
}

export function podReady(pod: KubeObject): boolean {
  return pod.status?.conditions?.some((c: PodCondition) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export interface ResolvedPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/**
 * The endpoint ports of one pod for a Service: numeric targetPorts as they are, named ones looked
 * up among the pod's container ports (a pod without that name has no endpoint for that port).
 */
export function podPorts(service: KubeObject, pod: KubeObject): ResolvedPort[] {
  const out: ResolvedPort[] = [];
  for (const sp of service.spec?.ports ?? []) {
    const protocol = sp.protocol ?? 'TCP';
    const target = sp.targetPort ?? sp.port;
    let port: number | undefined;
    if (typeof target === 'number') port = target;
    else if (/^\d+$/.test(String(target))) port = Number(target);
    else port = namedContainerPort(pod, String(target), protocol);
    if (port === undefined) continue;
    const p: ResolvedPort = { port, protocol };
    if (sp.name) p.name = sp.name;
    if (sp.appProtocol) p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return out;
}

function namedContainerPort(pod: KubeObject, name: string, protocol: string): number | undefined {
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    for (const p of c.ports ?? []) if (p.name === name && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/** `hostname` on an endpoint: set when the pod names itself and sits in this Service's subdomain. */
export function endpointHostname(service: KubeObject, pod: KubeObject): string | undefined {
  return pod.spec?.hostname && pod.spec?.subdomain === service.metadata.name ? pod.spec.hostname : undefined;
}
