import type { IKeyToPath } from 'kubernetes-models/v1';
import type { Container } from '../kube/objects.ts';
import type { KubeObject } from '../kube/types.ts';

/** What the kubelet can see of the objects a pod refers to. */
export interface ReferenceLookup {
  /** Keys of a ConfigMap or Secret (`data` and `binaryData`/`stringData`), undefined when it does not exist. */
  keys(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): Set<string> | undefined;
  /** The claim exists and is Bound to a volume. */
  claimBound(namespace: string, name: string): boolean;
}

const resourceWord = { ConfigMap: 'configmap', Secret: 'secret' } as const;

/**
 * Why a container cannot be created yet (CreateContainerConfigError), as the kubelet words it,
 * or undefined. Only env and envFrom count here; volumes fail earlier, at mount time.
 */
export function containerConfigError(pod: KubeObject, container: Container | undefined, lookup: ReferenceLookup): string | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  for (const from of container?.envFrom ?? []) {
    const ref = from.configMapRef
      ? { kind: 'ConfigMap' as const, r: from.configMapRef }
      : from.secretRef
        ? { kind: 'Secret' as const, r: from.secretRef }
        : undefined;
    if (!ref || ref.r.optional) continue;
    if (!lookup.keys(ref.kind, ns, ref.r.name as string)) return `${resourceWord[ref.kind]} "${ref.r.name}" not found`;
  }
  for (const env of container?.env ?? []) {
    const vf = env.valueFrom ?? {};
    const ref = vf.configMapKeyRef
      ? { kind: 'ConfigMap' as const, r: vf.configMapKeyRef }
      : vf.secretKeyRef
        ? { kind: 'Secret' as const, r: vf.secretKeyRef }
        : undefined;
    if (!ref || ref.r.optional) continue;
    const keys = lookup.keys(ref.kind, ns, ref.r.name as string);
    if (!keys) return `${resourceWord[ref.kind]} "${ref.r.name}" not found`;
    if (!keys.has(ref.r.key)) return `couldn't find key ${ref.r.key} in ${ref.kind} ${ns}/${ref.r.name}`;
  }
  return undefined;
}

/**
 * Volumes the kubelet cannot set up yet, with the FailedMount message for each. The pod waits in
 * ContainerCreating until they can be mounted.
 */
export function unmountableVolumes(pod: KubeObject, lookup: ReferenceLookup): Array<{ volume: string; message: string }> {
  const ns = pod.metadata.namespace ?? 'default';
  const out: Array<{ volume: string; message: string }> = [];
  const unbound: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    const refs: Array<{ kind: 'ConfigMap' | 'Secret'; name: string; optional?: boolean; items?: IKeyToPath[] }> = [];
    if (v.configMap) refs.push({ kind: 'ConfigMap', name: v.configMap.name, optional: v.configMap.optional, items: v.configMap.items });
    if (v.secret) refs.push({ kind: 'Secret', name: v.secret.secretName, optional: v.secret.optional, items: v.secret.items });
    for (const src of v.projected?.sources ?? []) {
      if (src.configMap) refs.push({ kind: 'ConfigMap', name: src.configMap.name, optional: src.configMap.optional, items: src.configMap.items });
      if (src.secret) refs.push({ kind: 'Secret', name: src.secret.name, optional: src.secret.optional, items: src.secret.items });
    }
    for (const r of refs) {
      if (r.optional) continue;
      const keys = lookup.keys(r.kind, ns, r.name);
      if (!keys) {
        out.push({ volume: v.name, message: `MountVolume.SetUp failed for volume "${v.name}" : ${resourceWord[r.kind]} "${r.name}" not found` });
        break;
      }
      const missing = (r.items ?? []).find((i) => !keys.has(i.key));
      if (missing) {
        const what = r.kind === 'ConfigMap' ? 'configmap references non-existent config key' : 'references non-existent secret key';
        out.push({ volume: v.name, message: `MountVolume.SetUp failed for volume "${v.name}" : ${what}: ${missing.key}` });
        break;
      }
    }
    if (v.persistentVolumeClaim && !lookup.claimBound(ns, v.persistentVolumeClaim.claimName)) unbound.push(v.name);
  }
  if (unbound.length) {
    const list = unbound.join(' ');
    out.push({
      volume: unbound[0],
      message: `Unable to attach or mount volumes: unmounted volumes=[${list}], unattached volumes=[${list}]: timed out waiting for the condition`,
    });
  }
  return out;
}

/** Names of ConfigMaps, Secrets and claims a pod refers to (to react when they appear). */
export function referencedNames(pod: KubeObject): { configMaps: string[]; secrets: string[]; claims: string[] } {
  const cms = new Set<string>();
  const secrets = new Set<string>();
  const claims = new Set<string>();
  const spec = pod.spec ?? {};
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef?.name) cms.add(f.configMapRef.name);
      if (f.secretRef?.name) secrets.add(f.secretRef.name);
    }
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name) cms.add(e.valueFrom.configMapKeyRef.name);
      if (e.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
    }
  }
  for (const v of spec.volumes ?? []) {
    if (v.configMap?.name) cms.add(v.configMap.name);
    if (v.secret?.secretName) secrets.add(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) cms.add(s.configMap.name);
      if (s.secret?.name) secrets.add(s.secret.name);
    }
    if (v.persistentVolumeClaim?.claimName) claims.add(v.persistentVolumeClaim.claimName);
  }
  return { configMaps: [...cms], secrets: [...secrets], claims: [...claims] };
}
