import type { IEndpoint } from 'kubernetes-models/discovery.k8s.io/v1';
import type { IServicePort } from 'kubernetes-models/v1';
import type { KubeObject } from '../kube/types.ts';
import type { ObjectStore } from '../store/objects.ts';
import { CLUSTER_DOMAIN } from '../kube/cluster-network.ts';
import { ENDPOINT_SLICE_RESOURCE, SERVICE_NAME_LABEL } from './endpoint-slices.ts';

export type DnsType = 'A' | 'SRV' | 'CNAME' | 'ANY';

export interface DnsRecord {
  name: string;
  type: 'A' | 'SRV' | 'CNAME';
  /** CoreDNS' kubernetes plugin as kubeadm configures it (`ttl 30`). */
  ttl: number;
  /** The record as dig prints it: an address, a target, or `priority weight port target` for SRV. */
  data: string;
}

export interface DnsAnswer {
  /** The name that answered (the query expanded by the search path), or the query itself. */
  name: string;
  type: DnsType;
  status: 'NOERROR' | 'NXDOMAIN';
  answers: DnsRecord[];
}

const TTL = 30;
const ZONE = CLUSTER_DOMAIN;

/**
 * Answers a DNS query inside a cluster the way CoreDNS does: Services (ClusterIP, headless with the
 * ready endpoints, ExternalName as a CNAME), per-endpoint names of headless Services (StatefulSet
 * pods `web-0.nginx.ns.svc.cluster.local`), SRV records for named ports, and pod A records
 * (`10-244-1-5.ns.pod.cluster.local`). With `namespace`, short names go through a pod's search path
 * (`<ns>.svc.cluster.local svc.cluster.local cluster.local`, ndots 5).
 */
export async function resolveDns(store: ObjectStore, clusterId: string, query: string, opts: { type?: DnsType; namespace?: string } = {}): Promise<DnsAnswer> {
  const type = opts.type ?? 'ANY';
  const name = query.trim().toLowerCase().replace(/\.$/, '');
  const candidates =
    opts.namespace && name.split('.').length - 1 < 5 ? [`${name}.${opts.namespace}.svc.${ZONE}`, `${name}.svc.${ZONE}`, `${name}.${ZONE}`, name] : [name];
  for (const fqdn of candidates) {
    const answers = await lookup(store, clusterId, fqdn, type);
    if (answers) return { name: fqdn, type, status: 'NOERROR', answers };
  }
  return { name, type, status: 'NXDOMAIN', answers: [] };
}

/** Records for one fully qualified name; undefined when the name does not exist. */
async function lookup(store: ObjectStore, clusterId: string, fqdn: string, type: DnsType): Promise<DnsRecord[] | undefined> {
  if (!fqdn.endsWith(`.${ZONE}`)) return undefined;
  const labels = fqdn.slice(0, -ZONE.length - 1).split('.');
  if (labels.length === 3 && labels[2] === 'pod') return podRecord(store, clusterId, fqdn, labels[0], labels[1]);
  if (labels[labels.length - 1] !== 'svc') return undefined;
  const parts = labels.slice(0, -1);
  if (parts.length === 4 && parts[0].startsWith('_') && parts[1].startsWith('_')) {
    return serviceRecords(store, clusterId, parts[3], parts[2], fqdn, 'SRV', { port: parts[0].slice(1), proto: parts[1].slice(1) });
  }
  if (parts.length === 2) return serviceRecords(store, clusterId, parts[1], parts[0], fqdn, type);
  if (parts.length === 3) return endpointRecord(store, clusterId, parts[2], parts[1], parts[0], fqdn);
  return undefined;
}

async function serviceRecords(
  store: ObjectStore,
  clusterId: string,
  ns: string,
  svcName: string,
  fqdn: string,
  type: DnsType,
  portFilter?: { port: string; proto: string },
): Promise<DnsRecord[] | undefined> {
  const svc = await store.get(clusterId, 'services', ns, svcName);
  if (!svc) return undefined;
  const base = `${svcName}.${ns}.svc.${ZONE}`;
  if (svc.spec?.type === 'ExternalName') {
    return type === 'SRV' ? [] : [{ name: fqdn, type: 'CNAME', ttl: TTL, data: svc.spec.externalName }];
  }
  const ports = (svc.spec?.ports ?? []).filter(
    (p: IServicePort) => p.name && (!portFilter || (p.name === portFilter.port && (p.protocol ?? 'TCP').toLowerCase() === portFilter.proto)),
  );
  if (portFilter && ports.length === 0) return undefined;
  const headless = svc.spec?.clusterIP === 'None';
  const records: DnsRecord[] = [];
  if (!headless) {
    if (type !== 'SRV' && svc.spec?.clusterIP) records.push({ name: fqdn, type: 'A', ttl: TTL, data: svc.spec.clusterIP });
    if (type === 'SRV' || type === 'ANY') for (const p of ports) records.push(srv(fqdn, p.port, base, 100));
    return records;
  }
  const endpoints = await readyEndpoints(store, clusterId, ns, svcName);
  if (type !== 'SRV') for (const e of endpoints) records.push({ name: fqdn, type: 'A', ttl: TTL, data: e.ip });
  if (type === 'SRV' || type === 'ANY') {
    const weight = endpoints.length ? Math.floor(100 / endpoints.length) : 100;
    for (const p of ports) {
      for (const e of endpoints) {
        const port = e.ports.find((x) => x.name === p.name)?.port ?? p.targetPort ?? p.port;
        records.push(srv(fqdn, port, `${e.hostname ?? e.ip.replace(/\./g, '-')}.${base}`, weight));
      }
    }
  }
  return records;
}

/** `<hostname>.<svc>.<ns>.svc` (or `<ip-dashed>.<svc>...`): one endpoint of a headless Service. */
async function endpointRecord(
  store: ObjectStore,
  clusterId: string,
  ns: string,
  svcName: string,
  host: string,
  fqdn: string,
): Promise<DnsRecord[] | undefined> {
  const svc = await store.get(clusterId, 'services', ns, svcName);
  if (!svc || svc.spec?.clusterIP !== 'None') return undefined;
  const hit = (await readyEndpoints(store, clusterId, ns, svcName)).find((e) => e.hostname === host || e.ip.replace(/\./g, '-') === host);
  return hit ? [{ name: fqdn, type: 'A', ttl: TTL, data: hit.ip }] : undefined;
}

async function podRecord(store: ObjectStore, clusterId: string, fqdn: string, dashed: string, ns: string): Promise<DnsRecord[] | undefined> {
  const ip = dashed.replace(/-/g, '.');
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return undefined;
  const pods = await store.list(clusterId, 'pods', { namespace: ns, filter: (p) => p.status?.podIP === ip });
  return pods.items.length ? [{ name: fqdn, type: 'A', ttl: TTL, data: ip }] : undefined;
}

interface ReadyEndpoint {
  ip: string;
  hostname?: string;
  ports: Array<{ name?: string; port: number }>;
}

/** What CoreDNS publishes for a headless Service: endpoints whose `ready` condition is true. */
async function readyEndpoints(store: ObjectStore, clusterId: string, ns: string, svcName: string): Promise<ReadyEndpoint[]> {
  const slices = await store.list(clusterId, ENDPOINT_SLICE_RESOURCE, {
    namespace: ns,
    filter: (s: KubeObject) => s.metadata.labels?.[SERVICE_NAME_LABEL] === svcName,
  });
  const out: ReadyEndpoint[] = [];
  for (const s of slices.items) {
    for (const e of (s.endpoints as IEndpoint[] | undefined) ?? []) {
      if (e.conditions?.ready === false) continue;
      for (const ip of e.addresses ?? []) out.push({ ip, hostname: e.hostname, ports: (s.ports as ReadyEndpoint['ports'] | undefined) ?? [] });
    }
  }
  return out.sort((a, b) => a.ip.localeCompare(b.ip, undefined, { numeric: true }));
}

function srv(name: string, port: number, target: string, weight: number): DnsRecord {
  return { name, type: 'SRV', ttl: TTL, data: `0 ${weight} ${port} ${target}` };
}
