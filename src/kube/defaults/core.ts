/* eslint-disable @typescript-eslint/no-explicit-any */
/** core/v1 defaulting for the non-pod kinds. */

export function defaultService(svc: any): void {
  svc.spec ??= {};
  const s = svc.spec;
  s.type ??= 'ClusterIP';
  s.sessionAffinity ??= 'None';
  if (s.sessionAffinity === 'ClientIP') {
    s.sessionAffinityConfig ??= {};
    s.sessionAffinityConfig.clientIP ??= {};
    // Three hours: Kubernetes' default ClientIP affinity timeout.
    s.sessionAffinityConfig.clientIP.timeoutSeconds ??= 10800;
  }
  for (const p of s.ports ?? []) {
    if (!p || typeof p !== 'object') continue;
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined && s.type !== 'ExternalName') p.targetPort = p.port;
  }
  if (s.type !== 'ExternalName') {
    s.internalTrafficPolicy ??= 'Cluster';
    s.ipFamilyPolicy ??= 'SingleStack';
    s.ipFamilies ??= ['IPv4'];
  }
  if (s.type === 'NodePort' || s.type === 'LoadBalancer') s.externalTrafficPolicy ??= 'Cluster';
  if (s.type === 'LoadBalancer') s.allocateLoadBalancerNodePorts ??= true;
  if (s.clusterIP && !s.clusterIPs) s.clusterIPs = [s.clusterIP];
  svc.status ??= { loadBalancer: {} };
}

export function defaultNamespace(ns: any): void {
  ns.spec ??= {};
  // The namespace lifecycle finalizer: deletion empties the namespace before it goes.
  if (!ns.metadata?.deletionTimestamp) ns.spec.finalizers ??= ['kubernetes'];
  ns.status ??= {};
  ns.status.phase ??= 'Active';
  if (ns.metadata?.name) {
    ns.metadata.labels ??= {};
    ns.metadata.labels['kubernetes.io/metadata.name'] = ns.metadata.name;
  }
}

export function defaultPersistentVolumeClaim(pvc: any): void {
  pvc.spec ??= {};
  pvc.spec.volumeMode ??= 'Filesystem';
  pvc.status ??= {};
  pvc.status.phase ??= 'Pending';
}

export function defaultPersistentVolume(pv: any): void {
  pv.spec ??= {};
  pv.spec.persistentVolumeReclaimPolicy ??= 'Retain';
  pv.spec.volumeMode ??= 'Filesystem';
  pv.status ??= {};
  pv.status.phase ??= 'Pending';
}

/** stringData is write-only: it is merged into data (base64) and dropped. */
export function defaultSecret(secret: any): void {
  secret.type ??= 'Opaque';
  if (secret.stringData && typeof secret.stringData === 'object') {
    secret.data ??= {};
    for (const [k, v] of Object.entries(secret.stringData)) secret.data[k] = base64(String(v));
    delete secret.stringData;
  }
}

function base64(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function defaultEndpointPorts(ports: any[] | undefined): void {
  for (const p of ports ?? []) if (p && typeof p === 'object') p.protocol ??= 'TCP';
}

export function defaultEndpoints(ep: any): void {
  for (const subset of ep.subsets ?? []) defaultEndpointPorts(subset?.ports);
}

export function defaultEndpointSlice(es: any): void {
  defaultEndpointPorts(es.ports);
}

/** SetDefaults_LimitRangeItem: container defaults come from max, default requests from the default or min. */
export function defaultLimitRange(lr: any): void {
  for (const item of lr.spec?.limits ?? []) {
    if (!item || item.type !== 'Container') continue;
    item.default ??= {};
    item.defaultRequest ??= {};
    for (const [k, v] of Object.entries(item.max ?? {})) item.default[k] ??= v;
    for (const [k, v] of Object.entries(item.default)) item.defaultRequest[k] ??= v;
    for (const [k, v] of Object.entries(item.min ?? {})) item.defaultRequest[k] ??= v;
  }
}
