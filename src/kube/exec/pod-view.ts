import type { IKeyToPath, IResourceFieldSelector, IVolume } from 'kubernetes-models/v1';
import type { ObjectStore } from '../../store/objects.ts';
import type { ConfigMap, Container, Pod, Secret, Service } from '../objects.ts';
import type { KubeObject } from '../types.ts';

/** What a process in the simulated container sees: its environment, its files and its host name. */
export interface ContainerView {
  hostname: string;
  env: Array<[string, string]>;
  /** Absolute path → contents, for files of mounted ConfigMap, Secret, downwardAPI and projected volumes. */
  files: Map<string, string>;
  /** Mount points and other directories that exist even when empty. */
  dirs: Set<string>;
}

const decode = (b64: string): string => {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
  } catch {
    return '';
  }
};

/** Reads ConfigMaps and Secrets of the pod's namespace once each. */
class Sources {
  private cache = new Map<string, Promise<KubeObject | undefined>>();
  constructor(
    private store: ObjectStore,
    private clusterId: string,
    private ns: string,
  ) {}
  get(resource: 'configmaps' | 'secrets', name: string): Promise<KubeObject | undefined> {
    const k = `${resource}/${name}`;
    let p = this.cache.get(k);
    if (!p) this.cache.set(k, (p = this.store.get(this.clusterId, resource, this.ns, name)));
    return p;
  }
  /** The string data of a ConfigMap (data and binaryData) or a Secret (decoded). */
  async data(resource: 'configmaps' | 'secrets', name: string): Promise<Record<string, string> | undefined> {
    const obj = (await this.get(resource, name)) as (ConfigMap & Secret) | undefined;
    if (!obj) return undefined;
    if (resource === 'secrets') return Object.fromEntries(Object.entries({ ...(obj.data ?? {}) }).map(([k, v]) => [k, decode(String(v))]));
    return { ...(obj.data ?? {}), ...Object.fromEntries(Object.entries(obj.binaryData ?? {}).map(([k, v]) => [k, decode(String(v))])) };
  }
}

/** A downward API field (`metadata.labels['app']`, `status.podIP`, ...) as the kubelet renders it. */
function fieldValue(pod: Pod, path: string): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return pod.metadata[m[1] as 'labels' | 'annotations']?.[m[2]] ?? '';
  const map = (o: Record<string, string> | undefined) =>
    Object.entries(o ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}="${v}"`)
      .join('\n');
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
      return map(pod.metadata.labels);
    case 'metadata.annotations':
      return map(pod.metadata.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return pod.status?.hostIP ?? '';
    case 'status.hostIPs':
      return (pod.status?.hostIPs ?? []).map((i) => i.ip).join(',');
    case 'status.podIP':
      return pod.status?.podIP ?? '';
    case 'status.podIPs':
      return (pod.status?.podIPs ?? []).map((i) => i.ip).join(',');
    default:
      return '';
  }
}

/** A resourceFieldRef: the container's limit (node allocatable when unset) or request, in divisor units. */
function resourceValue(pod: Pod, containerName: string | undefined, ref: IResourceFieldSelector, fallback: Partial<Container>): string {
  const c: Partial<Container> =
    [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((x) => x.name === (ref.containerName || containerName)) ?? fallback;
  const [kind, res] = String(ref.resource ?? '').split('.');
  // `kind` is what the reference names (requests or limits); anything else reads nothing.
  const raw = (c?.resources as Record<string, Record<string, unknown> | undefined> | undefined)?.[kind]?.[res];
  if (raw === undefined) return kind === 'requests' ? '0' : '';
  const n = quantity(String(raw));
  const d = quantity(String(ref.divisor ?? '1'));
  return String(Math.ceil(n / (d || 1)));
}

function quantity(q: string): number {
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(q.trim());
  if (!m) return 0;
  const unit: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
  return Number(m[1]) * (unit[m[2]] ?? 1);
}

/** `$(VAR)` references to earlier variables, as the kubelet expands them (`$$` escapes). */
function expand(value: string, env: Map<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (all, name) => (all === '$$' ? '$' : env.has(name) ? env.get(name)! : all));
}

/** The Service links the kubelet injects (KUBERNETES_SERVICE_HOST, WEB_PORT_80_TCP, ...). */
function serviceLinks(services: Service[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const svc of services) {
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None' || svc.spec?.type === 'ExternalName') continue;
    const prefix = svc.metadata.name!.toUpperCase().replace(/-/g, '_');
    const ports = svc.spec?.ports ?? [];
    if (!ports.length) continue;
    out.push([`${prefix}_SERVICE_HOST`, ip], [`${prefix}_SERVICE_PORT`, String(ports[0].port)]);
    for (const p of ports) if (p.name) out.push([`${prefix}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`, String(p.port)]);
    const proto = (p: (typeof ports)[number]) => String(p.protocol ?? 'TCP');
    out.push([`${prefix}_PORT`, `${proto(ports[0]).toLowerCase()}://${ip}:${ports[0].port}`]);
    for (const p of ports) {
      const base = `${prefix}_PORT_${p.port}_${proto(p)}`;
      out.push(
        [base, `${proto(p).toLowerCase()}://${ip}:${p.port}`],
        [`${base}_PROTO`, proto(p).toLowerCase()],
        [`${base}_PORT`, String(p.port)],
        [`${base}_ADDR`, ip],
      );
    }
  }
  return out;
}

async function resolveEnv(pod: Pod, container: Partial<Container>, src: Sources, services: Service[]): Promise<Array<[string, string]>> {
  const env = new Map<string, string>();
  env.set('PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  env.set('HOSTNAME', pod.spec?.hostname ?? pod.metadata.name ?? '');
  for (const ef of container.envFrom ?? []) {
    const ref = ef.configMapRef ?? ef.secretRef;
    if (!ref?.name) continue;
    const data = await src.data(ef.configMapRef ? 'configmaps' : 'secrets', ref.name);
    for (const [k, v] of Object.entries(data ?? {})) env.set(`${ef.prefix ?? ''}${k}`, v);
  }
  for (const e of container.env ?? []) {
    if (!e?.name) continue;
    const from = e.valueFrom;
    if (!from) env.set(e.name, expand(String(e.value ?? ''), env));
    else if (from.configMapKeyRef || from.secretKeyRef) {
      const ref = from.configMapKeyRef ?? from.secretKeyRef;
      const v = (await src.data(from.configMapKeyRef ? 'configmaps' : 'secrets', ref!.name as string))?.[ref!.key];
      if (v !== undefined) env.set(e.name, v);
    } else if (from.fieldRef) env.set(e.name, fieldValue(pod, from.fieldRef.fieldPath));
    else if (from.resourceFieldRef) env.set(e.name, resourceValue(pod, container.name, from.resourceFieldRef, container));
  }
  const links =
    pod.spec?.enableServiceLinks === false ? services.filter((s) => s.metadata.name === 'kubernetes' && s.metadata.namespace === 'default') : services;
  for (const [k, v] of serviceLinks(links)) if (!env.has(k)) env.set(k, v);
  env.set('HOME', env.get('HOME') ?? '/root');
  return [...env];
}

/** The files a volume shows at its mount point (keys, or the items' paths). */
async function volumeFiles(pod: Pod, volume: IVolume, container: Partial<Container>, src: Sources): Promise<Map<string, string> | undefined> {
  const out = new Map<string, string>();
  const fromData = (data: Record<string, string> | undefined, items: IKeyToPath[] | undefined) => {
    if (!data) return;
    if (items?.length)
      for (const it of items) {
        if (data[it.key] !== undefined) out.set(it.path, data[it.key]);
      }
    else for (const [k, v] of Object.entries(data)) out.set(k, v);
  };
  const downward = (items: NonNullable<IVolume['downwardAPI']>['items']) => {
    for (const it of items ?? []) {
      if (it.fieldRef) out.set(it.path, fieldValue(pod, it.fieldRef.fieldPath));
      else if (it.resourceFieldRef) out.set(it.path, resourceValue(pod, container.name, it.resourceFieldRef, container));
    }
  };
  if (volume.configMap) fromData(await src.data('configmaps', volume.configMap.name as string), volume.configMap.items);
  else if (volume.secret) fromData(await src.data('secrets', volume.secret.secretName as string), volume.secret.items);
  else if (volume.downwardAPI) downward(volume.downwardAPI.items);
  else if (volume.projected) {
    for (const s of volume.projected.sources ?? []) {
      if (s.configMap) fromData(await src.data('configmaps', s.configMap.name as string), s.configMap.items);
      else if (s.secret) fromData(await src.data('secrets', s.secret.name as string), s.secret.items);
      else if (s.downwardAPI) downward(s.downwardAPI.items);
    }
  } else return undefined; // emptyDir, claims, hostPath...: an empty directory here
  return out;
}

const join = (dir: string, name: string) => `${dir.replace(/\/+$/, '')}/${name}`.replace(/\/+/g, '/');

/** The container as `kubectl exec` finds it: resolved environment and mounted files. */
export async function containerView(store: ObjectStore, clusterId: string, pod: Pod, containerName: string): Promise<ContainerView> {
  const ns = pod.metadata.namespace ?? 'default';
  const container: Partial<Container> = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === containerName) ?? {};
  const src = new Sources(store, clusterId, ns);
  const services = [
    ...(await store.list(clusterId, 'services', { namespace: ns })).items,
    ...(ns === 'default' ? [] : [await store.get(clusterId, 'services', 'default', 'kubernetes')].filter((s): s is KubeObject => !!s)),
  ];
  const hostname = pod.spec?.hostname ?? pod.metadata.name ?? '';
  const files = new Map<string, string>();
  const dirs = new Set<string>(['/', '/etc', '/tmp', '/root', '/var', '/usr', '/bin']);
  files.set('/etc/hostname', `${hostname}\n`);
  files.set('/etc/resolv.conf', `search ${ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`);
  files.set('/etc/hosts', `127.0.0.1\tlocalhost\n${pod.status?.podIP ? `${pod.status.podIP}\t${hostname}\n` : ''}`);
  const volumes = new Map<string, IVolume>((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  for (const m of container.volumeMounts ?? []) {
    const volume = volumes.get(m.name);
    if (!volume || typeof m.mountPath !== 'string') continue;
    const content = await volumeFiles(pod, volume, container, src);
    if (m.subPath) {
      if (content?.has(m.subPath)) files.set(m.mountPath, content.get(m.subPath)!);
      else dirs.add(m.mountPath);
      continue;
    }
    dirs.add(m.mountPath);
    for (const [path, text] of content ?? []) files.set(join(m.mountPath, path), text);
  }
  // Every parent of a file or mount is a directory.
  for (const p of [...files.keys(), ...dirs]) {
    for (let d = p.slice(0, p.lastIndexOf('/')); d; d = d.slice(0, d.lastIndexOf('/'))) dirs.add(d);
  }
  return { hostname, env: await resolveEnv(pod, container, src, services), files, dirs };
}
