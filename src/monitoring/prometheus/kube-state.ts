import type { KubeObject } from '../../kube/types.ts';
import type { FamilySet, Labels, MetricFamily } from './families.ts';

/** One series of a family: its full label set and its value. */
export interface Sample {
  labels: Labels;
  value: number;
}

/** A family and the samples one item gives (none, one or many), labelled on top of the item's own labels. */
export interface FamilySpec<T> {
  name: string;
  help: string;
  type?: MetricFamily['type'];
  samples(item: T, labels: Labels): Sample[];
}

/** Families repeated per part of an object (a pod's containers), each part with labels of its own. */
export interface PartFamilies<T, P> {
  parts(item: T): P[];
  labels(part: P, labels: Labels): Labels;
  families: FamilyEntry<P>[];
}

/** Each part family names its own part type; the list only needs to hand parts back to their own families. */
export type FamilyEntry<T> = FamilySpec<T> | PartFamilies<T, unknown>;

/** kube-state-metrics' families of one kind, as data: the kind's labels and its families in order. */
export interface KindMetrics {
  resource: string;
  /** Cluster-scoped kinds are left out of namespace-limited scrapes. */
  clusterScoped?: boolean;
  labels(obj: KubeObject): Labels;
  families: FamilyEntry<KubeObject>[];
}

/** A family of any shape: `samples` says what one item gives. */
export function family<T = KubeObject>(name: string, help: string, samples: FamilySpec<T>['samples'], type?: MetricFamily['type']): FamilySpec<T> {
  return type ? { name, help, type, samples } : { name, help, samples };
}

/** One series with the item's labels; no series when `value` gives undefined. */
export function gauge<T = KubeObject>(name: string, help: string, value: (item: T) => number | undefined, type?: MetricFamily['type']): FamilySpec<T> {
  return family(
    name,
    help,
    (item, labels) => {
      const v = value(item);
      return v === undefined ? [] : [{ labels, value: v }];
    },
    type,
  );
}

/** An info series (value 1) with extra labels; none when `extra` gives undefined. */
export function info<T = KubeObject>(name: string, help: string, extra: (item: T) => Labels | undefined): FamilySpec<T> {
  return family(name, help, (item, labels) => {
    const more = extra(item);
    return more === undefined ? [] : [{ labels: { ...labels, ...more }, value: 1 }];
  });
}

/** KSM's enumeration style: one series per possible value, 1 for the current one and 0 for the others. */
export function stateSet(labels: Labels, label: string, values: readonly string[], current: string | undefined): Sample[] {
  return values.map((v) => ({ labels: { ...labels, [label]: v }, value: v === current ? 1 : 0 }));
}

/** The one renderer: every object's families, object by object, in the order the kind lists them. */
export function addKindFamilies(f: FamilySet, kind: KindMetrics, objects: KubeObject[]): void {
  for (const obj of objects) addFamilies(f, kind.families, obj, kind.labels(obj));
}

function addFamilies<T>(f: FamilySet, entries: FamilyEntry<T>[], item: T, labels: Labels): void {
  for (const entry of entries) {
    if ('parts' in entry) {
      for (const part of entry.parts(item)) addFamilies(f, entry.families, part, entry.labels(part, labels));
      continue;
    }
    for (const s of entry.samples(item, labels)) f.add(entry.name, entry.help, s.labels, s.value, entry.type);
  }
}
