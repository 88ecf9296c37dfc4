import type { Container, ContainerStatus, Pod, PodStatus } from '../kube/objects.ts';
import type { KubeObject } from '../kube/types.ts';
import type { EventType } from '../kube/events.ts';
import type { BackoffEntry } from './backoff.ts';
import { containerBehavior, type ContainerBehavior } from './behavior.ts';
import { probeSpec, type ProbeSpec } from './probes.ts';
import type { ReferenceLookup } from './references.ts';

/** The kubelet's memory of a pod, kept on the pod itself (`kates.dev/kubelet`) so any worker can resume it. */
export const BOOK_ANNOTATION = 'kates.dev/kubelet';

export interface ContainerBook {
  /** When the image is on the node and the container can be created (first start). */
  pullAt?: number;
  /** How long that pull took (absent when the image was already on the node). */
  pullSecs?: number;
  /** Back-off of failed image pulls, and when the next pull is tried. */
  pullBackoff?: BackoffEntry;
  pullRetryAt?: number;
  /** Restart back-off of this container. */
  backoff?: BackoffEntry;
  /** Latest `kates.dev/readiness` toggle seen, when, and the readiness it found. */
  readiness?: { value: 'pass' | 'fail'; at: number; readyThen: boolean };
  /** When a `kates.dev/liveness=fail` toggle was first seen. */
  livenessFailAt?: number;
}

export interface Book {
  /** The last cluster time this pod's status was written by the kubelet: its status is known up to here. */
  seenAt?: number;
  /** The FailedMount message last reported, so it is not repeated on every pass. */
  mount?: string;
  /** Killing events were sent for the current deletion. */
  killing?: boolean;
  c: Record<string, ContainerBook>;
}

export function readBook(pod: KubeObject): Book {
  const raw = pod.metadata.annotations?.[BOOK_ANNOTATION];
  if (!raw) return { c: {} };
  try {
    const b = JSON.parse(raw);
    return { ...b, c: b.c ?? {} };
  } catch {
    return { c: {} };
  }
}

export function writeBook(pod: KubeObject, book: Book): void {
  pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [BOOK_ANNOTATION]: JSON.stringify(book) };
}

/** What the kubelet of the pod's node knows about its surroundings. */
export interface KubeletEnv extends ReferenceLookup {
  node: KubeObject;
  /** A free IP from the node's pod CIDR (each call hands out a new one). */
  allocatePodIP(): string;
  /** The image is already in the node's image store. */
  imagePresent(image: string): boolean;
}

export interface SimEvent {
  /** The container it is about (`involvedObject.fieldPath: spec.containers{name}`). */
  container?: string;
  type: EventType;
  reason: string;
  message: string;
}

export interface ContainerSim {
  name: string;
  spec: Container;
  isInit: boolean;
  /** An init container with restartPolicy Always: keeps running beside the app containers. */
  isSidecar: boolean;
  behavior: ContainerBehavior;
  startup?: ProbeSpec;
  liveness?: ProbeSpec;
  readiness?: ProbeSpec;
  /** Its entry in status.initContainerStatuses / containerStatuses (mutated in place). */
  status: ContainerStatus;
  book: ContainerBook;
}

/** The pod a step works on: a private copy whose status is always there. */
export type SimPod = Pod & { status: PodStatus };

/** One pod being stepped: a private copy of it plus what the step produced. */
export interface PodSim {
  pod: SimPod;
  book: Book;
  env: KubeletEnv;
  containers: ContainerSim[];
  events: SimEvent[];
  /** Images pulled onto the node during this step. */
  pulled: string[];
  /** The pod is to be removed from the store. */
  remove: boolean;
  /** The time of this step: when a blocked pod finds what it waited for (a ConfigMap, a bound claim). */
  now: number;
}

export function newPodSim(pod: Pod, env: KubeletEnv, now: number): PodSim {
  const copy = structuredClone(pod) as SimPod;
  copy.status ??= {};
  const book = readBook(copy);
  const sim: PodSim = { pod: copy, book, env, containers: [], events: [], pulled: [], remove: false, now };
  const add = (spec: Container, isInit: boolean) => {
    const list = isInit ? 'initContainerStatuses' : 'containerStatuses';
    copy.status[list] ??= [];
    const statuses = (copy.status[list] ??= []);
    let status = statuses.find((s) => s.name === spec.name);
    if (!status) {
      status = waitingStatus(spec, copy);
      statuses.push(status);
    }
    book.c[spec.name] ??= {};
    sim.containers.push({
      name: spec.name,
      spec,
      isInit,
      isSidecar: isInit && spec.restartPolicy === 'Always',
      behavior: containerBehavior(copy, spec, isInit),
      startup: probeSpec(spec.startupProbe),
      liveness: probeSpec(spec.livenessProbe),
      readiness: probeSpec(spec.readinessProbe),
      status,
      book: book.c[spec.name],
    });
  };
  for (const c of copy.spec?.initContainers ?? []) add(c, true);
  for (const c of copy.spec?.containers ?? []) add(c, false);
  return sim;
}

/** A container the runtime has not created yet: PodInitializing when the pod has init containers. */
function waitingStatus(spec: Container, pod: Pod): ContainerStatus {
  const reason = (pod.spec?.initContainers ?? []).length > 0 ? 'PodInitializing' : 'ContainerCreating';
  return { name: spec.name, state: { waiting: { reason } }, lastState: {}, ready: false, restartCount: 0, image: spec.image!, imageID: '', started: false };
}

export function podRef(pod: KubeObject): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

export function msOf(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}
