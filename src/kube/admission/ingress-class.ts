import type { ObjectStore } from '../../store/objects.ts';
import type { KubeObject } from '../types.ts';

export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
/** The annotation that named a class before `spec.ingressClassName`; controllers still honour it. */
export const LEGACY_INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** The default IngressClass: annotated default; with several, the newest wins. */
export function defaultIngressClassOf(classes: KubeObject[]): KubeObject | undefined {
  return classes
    .filter((c) => c.metadata.annotations?.[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true')
    .sort(
      (a, b) =>
        (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
    )[0];
}

/** DefaultIngressClass admission: a new Ingress that names no class (field or legacy annotation) gets the default. */
export async function defaultIngressClass(store: ObjectStore, clusterId: string, ing: KubeObject): Promise<void> {
  if (typeof ing.spec !== 'object' || ing.spec === null) return;
  if (ing.spec.ingressClassName || ing.metadata.annotations?.[LEGACY_INGRESS_CLASS_ANNOTATION]) return;
  const { items } = await store.list(clusterId, 'ingressclasses.networking.k8s.io');
  const dflt = defaultIngressClassOf(items);
  if (dflt) ing.spec.ingressClassName = dflt.metadata.name;
}
