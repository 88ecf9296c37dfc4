import type { KubeObject } from '../types.ts';
import type { ObjectStore, WriteOp } from '../../store/objects.ts';
import { pickFree, staticBandSize, type BandedRange } from './allocator.ts';
import { cidrContains, formatCidr, formatIPv4, parseIPv4 } from '../../lib/cidr.ts';
import { IP_ADDRESS_RESOURCE, NODE_PORT_RANGE, NODE_PORT_RESOURCE, SERVICE_CIDR } from '../cluster-network.ts';
import { InvalidObjectError, invalidValue, type FieldCause } from './errors.ts';
import { heldAddresses, ipAddressObject, nodePortObject, parentOf, sameService, type ServiceRef } from './reservations.ts';

export interface ServiceAllocation {
  /** The service with `clusterIP(s)`, `nodePort`s and `healthCheckNodePort` filled in. */
  service: KubeObject;
  /** Reservation writes to commit in the same `store.commit` as the service itself. */
  ops: WriteOp[];
}

const IP_RANGE: BandedRange = {
  first: SERVICE_CIDR.base + 1, // network address excluded
  last: SERVICE_CIDR.base + SERVICE_CIDR.size - 2, // broadcast excluded
  staticSize: staticBandSize(SERVICE_CIDR.size, 16, 256),
};
const PORT_RANGE: BandedRange = {
  ...NODE_PORT_RANGE,
  staticSize: staticBandSize(NODE_PORT_RANGE.last - NODE_PORT_RANGE.first + 1, 32, 128),
};

/**
 * Gives a Service its ClusterIP and node ports at create/update time, as kube-apiserver's service
 * registry does: requested values are checked (422 with Kubernetes' field messages when taken or
 * out of range), missing ones are picked at random, values already held are kept on update, and
 * `default/kubernetes` gets the first address of the range. Commit `ops` with the service write;
 * a reservation that loses a race fails that commit with AlreadyExists (allocate again).
 */
export async function allocateServiceAddresses(
  store: ObjectStore,
  clusterId: string,
  service: KubeObject,
  previous?: KubeObject,
  opts: { random?: () => number } = {},
): Promise<ServiceAllocation> {
  const ref: ServiceRef = { namespace: service.metadata.namespace ?? 'default', name: service.metadata.name ?? '' };
  const [ipRes, portRes, services] = await Promise.all([
    store.list(clusterId, IP_ADDRESS_RESOURCE),
    store.list(clusterId, NODE_PORT_RESOURCE),
    store.list(clusterId, 'services'),
  ]);
  const others = services.items.filter((s) => !sameService({ namespace: s.metadata.namespace ?? '', name: s.metadata.name ?? '' }, ref));
  const takenIps = new Set(others.flatMap((s) => heldAddresses(s).ips));
  const takenPorts = new Set(others.flatMap((s) => heldAddresses(s).ports));
  const reservedIps = new Set(ipRes.items.map((r) => r.metadata.name!));
  const reservedPorts = new Set(portRes.items.map((r) => r.metadata.name!));

  const next = structuredClone(service);
  next.spec ??= {};
  const causes: FieldCause[] = [];
  const random = opts.random ?? Math.random;

  assignClusterIp(next, previous, ref, takenIps, reservedIps, causes, random);
  assignNodePorts(next, previous, takenPorts, reservedPorts, causes, random);
  if (causes.length) throw new InvalidObjectError('Service', ref.name, causes);

  const held = heldAddresses(next);
  const ops = [
    ...reservationOps(IP_ADDRESS_RESOURCE, ipRes.items, held.ips, ref, (ip) => ipAddressObject(ip, ref)),
    ...reservationOps(NODE_PORT_RESOURCE, portRes.items, held.ports.map(String), ref, (p) => nodePortObject(Number(p), ref)),
  ];
  return { service: next, ops };
}

function assignClusterIp(
  svc: KubeObject,
  previous: KubeObject | undefined,
  ref: ServiceRef,
  taken: Set<string>,
  reserved: Set<string>,
  causes: FieldCause[],
  random: () => number,
): void {
  const spec = svc.spec;
  if ((spec.type ?? 'ClusterIP') === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
    return;
  }
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  const requested: string | undefined = spec.clusterIP || spec.clusterIPs?.[0] || undefined;
  const prev: string | undefined = previous?.spec?.type !== 'ExternalName' ? previous?.spec?.clusterIP || undefined : undefined;
  let ip: string | undefined;
  if (prev) {
    if (requested && requested !== prev) {
      causes.push(invalidValue('spec.clusterIPs[0]', [requested], 'may not change once set'));
      return;
    }
    ip = prev;
  } else if (requested === 'None') {
    ip = 'None';
  } else if (requested) {
    const problem = requestedIpProblem(requested, taken);
    if (problem) {
      causes.push(invalidValue('spec.clusterIPs', [requested], problem));
      return;
    }
    ip = requested;
  } else if (ref.namespace === 'default' && ref.name === 'kubernetes' && !taken.has(formatIPv4(IP_RANGE.first))) {
    ip = formatIPv4(IP_RANGE.first);
  } else {
    const pick = pickFree(IP_RANGE, (n) => n === IP_RANGE.first || taken.has(formatIPv4(n)) || reserved.has(formatIPv4(n)), random);
    if (pick === undefined) {
      causes.push(invalidValue('spec.clusterIPs', [], `failed to allocate a serviceIP: range is full`));
      return;
    }
    ip = formatIPv4(pick);
  }
  spec.clusterIP = ip;
  spec.clusterIPs = [ip];
}

function requestedIpProblem(ip: string, taken: Set<string>): string | undefined {
  const n = parseIPv4(ip);
  if (n === undefined) return `must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`;
  if (!cidrContains(SERVICE_CIDR, n) || n < IP_RANGE.first || n > IP_RANGE.last) {
    return `failed to allocate IP ${ip}: provided IP is not in the valid range. The range of valid IPs is ${formatCidr(SERVICE_CIDR)}`;
  }
  if (taken.has(ip)) return `failed to allocate IP ${ip}: provided IP is already allocated`;
  return undefined;
}

function assignNodePorts(
  svc: KubeObject,
  previous: KubeObject | undefined,
  taken: Set<number>,
  reserved: Set<number | string>,
  causes: FieldCause[],
  random: () => number,
): void {
  const spec = svc.spec;
  const type = spec.type ?? 'ClusterIP';
  const wantsNodePorts = type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  const mine = new Map<number, string>(); // port -> protocol already used by this service
  const isFree = (p: number) => !taken.has(p) && !reserved.has(String(p)) && !mine.has(p);
  const prevPorts: Array<Record<string, unknown>> = previous?.spec?.ports ?? [];

  (spec.ports ?? []).forEach((port: Record<string, unknown>, i: number) => {
    const field = `spec.ports[${i}].nodePort`;
    if (type === 'ClusterIP' || type === 'ExternalName') {
      delete port.nodePort;
      return;
    }
    let value = typeof port.nodePort === 'number' && port.nodePort > 0 ? port.nodePort : undefined;
    if (value !== undefined) {
      const problem = requestedPortProblem(value, taken);
      if (problem) return void causes.push(invalidValue(field, value, problem));
      const protocol = String(port.protocol ?? 'TCP');
      if (mine.get(value) === protocol) return void causes.push({ reason: 'FieldValueDuplicate', field, message: `Duplicate value: ${value}` });
    } else if (wantsNodePorts) {
      const old = prevPorts.find((p) => p.port === port.port && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
      value = typeof old?.nodePort === 'number' && !taken.has(old.nodePort) ? old.nodePort : pickFree(PORT_RANGE, (p) => !isFree(p), random);
      if (value === undefined) return void causes.push(invalidValue(field, 0, 'failed to allocate a nodePort: range is full'));
    }
    if (value !== undefined) {
      port.nodePort = value;
      mine.set(value, String(port.protocol ?? 'TCP'));
    }
  });

  if (type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
    const requested = spec.healthCheckNodePort || previous?.spec?.healthCheckNodePort;
    if (requested) {
      const problem = requestedPortProblem(requested, taken);
      if (problem) return void causes.push(invalidValue('spec.healthCheckNodePort', requested, problem));
      spec.healthCheckNodePort = requested;
    } else {
      spec.healthCheckNodePort = pickFree(PORT_RANGE, (p) => !isFree(p), random);
    }
  } else {
    delete spec.healthCheckNodePort;
  }
}

function requestedPortProblem(port: number, taken: Set<number>): string | undefined {
  if (port < PORT_RANGE.first || port > PORT_RANGE.last) {
    return `provided port is not in the valid range. The range of valid ports is ${PORT_RANGE.first}-${PORT_RANGE.last}`;
  }
  if (taken.has(port)) return 'provided port is already allocated';
  return undefined;
}

/** Creates the reservations this service now needs (taking over stale ones) and drops those it gave up. */
function reservationOps(resource: string, existing: KubeObject[], wanted: string[], ref: ServiceRef, build: (name: string) => KubeObject): WriteOp[] {
  const ops: WriteOp[] = [];
  const byName = new Map(existing.map((r) => [r.metadata.name!, r]));
  for (const name of wanted) {
    const current = byName.get(name);
    if (current && sameService(parentOf(current), ref)) continue;
    // A reservation left by a deleted service (or one that gave the value up) is stale: take it over.
    if (current) ops.push({ op: 'delete', resource, namespace: '', name, resourceVersion: current.metadata.resourceVersion });
    ops.push({ op: 'create', resource, object: build(name) });
  }
  for (const r of existing) {
    if (sameService(parentOf(r), ref) && !wanted.includes(r.metadata.name!)) {
      ops.push({ op: 'delete', resource, namespace: '', name: r.metadata.name!, resourceVersion: r.metadata.resourceVersion });
    }
  }
  return ops;
}
