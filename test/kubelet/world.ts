import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { Controller, ReconcileContext, ReconcileResult } from '../../src/controllers/runtime.ts';
import { storeEventRecorder } from '../../src/kube/events.ts';
import type { KubeObject } from '../../src/kube/types.ts';
import type { Logger } from '../../src/lib/logger.ts';
import { createTestStore } from '../helpers/store.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/** A store-level cluster: the real store and controllers on a manual clock. */
export async function world(opts: { clusterId?: string; provider?: string } = {}) {
  const t = await createTestStore(opts);
  let commits = 0;
  t.store.onCommit(() => void commits++);
  const now = () => t.clock.now();
  const ctx: ReconcileContext = {
    clusterId: t.clusterId,
    store: t.store,
    now,
    log: silent,
    events: storeEventRecorder(t.store, t.clusterId, now),
    trigger() {},
  };
  const results = new Map<string, ReconcileResult>();

  /** Runs the controllers round after round until a round writes nothing (the level-triggered fixpoint). */
  async function settle(controllers: Controller[], maxRounds = 200): Promise<void> {
    for (let round = 0; round < maxRounds; round++) {
      const before = commits;
      let more = false;
      for (const c of controllers) {
        const r = (await c.reconcile(ctx)) ?? {};
        results.set(c.name, r);
        more ||= Boolean(r.more);
      }
      if (commits === before && !more) return;
    }
    throw new Error('controllers did not settle');
  }

  /** Advances the clock in steps no longer than `stepMs`, settling after each, like requeues would. */
  async function run(controllers: Controller[], totalMs: number, stepMs = 1000): Promise<void> {
    await settle(controllers);
    for (let done = 0; done < totalMs; done += stepMs) {
      t.clock.advance(Math.min(stepMs, totalMs - done));
      await settle(controllers);
    }
  }

  const list = async (resource: string, namespace?: string) => (await t.store.list(t.clusterId, resource, { namespace })).items;
  const get = (resource: string, namespace: string, name: string) => t.store.get(t.clusterId, resource, namespace, name);
  const events = async (name: string) =>
    (await list('events')).filter((e) => (e.involvedObject as { name: string }).name === name).map((e) => `${e.reason}: ${e.message}`);
  const create = (resource: string, obj: KubeObject) => t.store.create(t.clusterId, resource, obj);

  return { ...t, ctx, settle, run, list, get, events, create, results };
}

export function node(name: string, zone = 'us-east-1a', extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'topology.kubernetes.io/zone': zone, 'kubernetes.io/hostname': name }, ...extra },
    spec: {},
    status: { capacity: { cpu: '2', memory: '8Gi', pods: '110' }, allocatable: { cpu: '1930m', memory: '7Gi', pods: '110' } },
  };
}

export function loadExample(file: string, namespace = 'default'): KubeObject[] {
  const text = readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8');
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject)
    .filter(Boolean)
    .map((o) => {
      if (!['StorageClass', 'PersistentVolume', 'Node', 'Namespace'].includes(o.kind)) o.metadata.namespace ??= namespace;
      return o;
    });
}

export const resourceOf: Record<string, string> = {
  Deployment: 'deployments.apps',
  StatefulSet: 'statefulsets.apps',
  Service: 'services',
  StorageClass: 'storageclasses.storage.k8s.io',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  PersistentVolume: 'persistentvolumes',
  Pod: 'pods',
  ConfigMap: 'configmaps',
  Secret: 'secrets',
};
